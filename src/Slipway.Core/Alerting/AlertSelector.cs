namespace Slipway.Core.Alerting;

/// <summary>The left side of a condition: <c>quantile(0.95, service="api")[5m]</c>.</summary>
internal sealed record AlertSelector(AlertFunction Function, double? Parameter, IReadOnlyList<LabelMatcher> Matchers, TimeSpan? Window)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels) => Matchers.All(m => m.Matches(labels));
}
