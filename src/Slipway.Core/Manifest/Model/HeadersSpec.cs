using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// Response headers the proxy adds or removes. <c>headers: secure</c> is the preset with
/// HSTS, nosniff, frame deny and a strict referrer policy; <c>headers: none</c> adds nothing.
/// </summary>
internal sealed record HeadersSpec : IScalarShorthand<HeadersSpec>
{
    public HeadersPreset Preset { get; init; } = HeadersPreset.None;

    /// <summary>Headers to set on every response, overriding the preset's.</summary>
    public IReadOnlyDictionary<string, string> Set { get; init; } = new Dictionary<string, string>();

    /// <summary>Response headers to remove, e.g. <c>Server</c>.</summary>
    public IReadOnlyList<string> Remove { get; init; } = [];

    public static HeadersSpec? FromScalar(string text, out string? error)
    {
        error = null;
        switch (text)
        {
            case "secure":
                return new HeadersSpec { Preset = HeadersPreset.Secure };
            case "none":
                return new HeadersSpec();
            default:
                error = $"must be `secure`, `none` or a mapping (got {ScalarParsers.Quote(text)})";
                return null;
        }
    }
}
