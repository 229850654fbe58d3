namespace Slipway.Core.Alerting;

/// <summary><c>service="api"</c> or <c>service!="api"</c>; a missing label has the value "" (as in Prometheus).</summary>
internal sealed record LabelMatcher(string Name, string Value, bool Equal)
{
    public bool Matches(string? value) => (value ?? "") == Value == Equal;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Matches(labels.GetValueOrDefault(Name));

    public override string ToString() => $"{Name}{(Equal ? "=" : "!=")}\"{Value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
