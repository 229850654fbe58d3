namespace Slipway.Core.Manifest.Yaml;

internal sealed class YamlSequence(SourceMark mark, IReadOnlyList<YamlNode> items) : YamlNode(mark)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;

    public override string KindName => "a list";
}
