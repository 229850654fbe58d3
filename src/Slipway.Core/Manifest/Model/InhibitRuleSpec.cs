using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// An Alertmanager inhibition rule: while an alert matching <see cref="Source"/> fires, alerts matching
/// <see cref="Target"/> with the same values of the <see cref="Equal"/> labels are not sent.
/// </summary>
internal sealed record InhibitRuleSpec : IValidatedSpec
{
    /// <summary>The built-in rules: a critical alert mutes the warning and info alerts of its service.</summary>
    public static readonly IReadOnlyList<InhibitRuleSpec> BuiltIn =
    [
        new() { Source = new Dictionary<string, string> { ["severity"] = "critical" }, Target = new Dictionary<string, string> { ["severity"] = "warning" }, Equal = ["service"] },
        new() { Source = new Dictionary<string, string> { ["severity"] = "critical" }, Target = new Dictionary<string, string> { ["severity"] = "info" }, Equal = ["service"] },
    ];

    /// <summary>Label equality matchers the muting alert must match.</summary>
    public IReadOnlyDictionary<string, string> Source { get; init; } = new Dictionary<string, string>();

    /// <summary>Label equality matchers the muted alert must match.</summary>
    public IReadOnlyDictionary<string, string> Target { get; init; } = new Dictionary<string, string>();

    /// <summary>Labels both must carry with the same, non-empty value.</summary>
    public IReadOnlyList<string> Equal { get; init; } = [];

    public void Validate(SpecContext context)
    {
        if (Source.Count == 0)
        {
            context.Error("source", "needs at least one label, e.g. { severity: critical }");
        }

        if (Target.Count == 0)
        {
            context.Error("target", "needs at least one label, e.g. { severity: warning }; an empty target would mute every alert");
        }
    }
}
