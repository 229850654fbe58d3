namespace Slipway.Core.Manifest.Yaml;

internal sealed class YamlMapping(SourceMark mark, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries) : YamlNode(mark)
{
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = entries;

    public override string KindName => "a mapping";
}
