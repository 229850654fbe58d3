namespace Slipway.Core.Manifest.Model;

/// <summary>What is watched, and who hears about it.</summary>
internal sealed record AlertsSpec
{
    /// <summary>Built-in rules by name (<c>high-error-rate</c>) or rules of your own.</summary>
    public IReadOnlyList<AlertRuleSpec> Rules { get; init; } = [];

    public IReadOnlyDictionary<string, ReceiverSpec> Receivers { get; init; } = new Dictionary<string, ReceiverSpec>();

    /// <summary>Which alerts go to which receiver; the first match wins unless it says <c>continue</c>.</summary>
    public IReadOnlyList<AlertRouteSpec> Routes { get; init; } = [];
}
