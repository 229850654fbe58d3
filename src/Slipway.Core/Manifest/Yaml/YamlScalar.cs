namespace Slipway.Core.Manifest.Yaml;

internal sealed class YamlScalar(SourceMark mark, string value, bool isPlain) : YamlNode(mark)
{
    public string Value { get; } = value;

    /// <summary>Written without quotes: only plain scalars can be null or a boolean.</summary>
    public bool IsPlain { get; } = isPlain;

    /// <summary><c>~</c>, <c>null</c> or nothing at all, unquoted.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => "a value";
}
