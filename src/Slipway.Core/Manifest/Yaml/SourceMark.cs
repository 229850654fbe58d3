namespace Slipway.Core.Manifest.Yaml;

/// <summary>A 1-based line and column in the manifest file.</summary>
internal readonly record struct SourceMark(int Line, int Column)
{
    public static SourceMark Start { get; } = new(1, 1);

    public override string ToString() => $"{Line}:{Column}";
}
