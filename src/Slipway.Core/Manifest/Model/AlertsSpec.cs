using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>What is watched, and who hears about it.</summary>
internal sealed record AlertsSpec : IValidatedSpec
{
    /// <summary>How often every rule is evaluated.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Built-in rules by name (<c>high-error-rate</c>) or rules of your own.</summary>
    public IReadOnlyList<AlertRuleSpec> Rules { get; init; } = [];

    public IReadOnlyDictionary<string, ReceiverSpec> Receivers { get; init; } = new Dictionary<string, ReceiverSpec>();

    /// <summary>Which alerts go to which receiver; the first match wins unless it says <c>continue</c>.</summary>
    public IReadOnlyList<AlertRouteSpec> Routes { get; init; } = [];

    /// <summary>Which firing alerts mute which others; the built-in pair unless written (<c>[]</c> turns inhibition off).</summary>
    public IReadOnlyList<InhibitRuleSpec> Inhibit { get; init; } = InhibitRuleSpec.BuiltIn;

    public void Validate(SpecContext context)
    {
        if (Interval < TimeSpan.FromSeconds(1))
        {
            context.Error("interval", "must be at least 1s");
        }
    }
}
