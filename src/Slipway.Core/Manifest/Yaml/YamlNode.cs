namespace Slipway.Core.Manifest.Yaml;

/// <summary>
/// A node of the manifest's YAML, with where it starts. Slipway reads YAML into this
/// small tree of its own (not YamlDotNet's representation model) so that depth and
/// alias expansion are bounded and every value keeps its line and column.
/// </summary>
internal abstract class YamlNode(SourceMark mark)
{
    public SourceMark Mark { get; } = mark;

    /// <summary>The kind, as a user would call it in an error message.</summary>
    public abstract string KindName { get; }
}
