namespace Slipway.Core.Alerting;

/// <summary>The left side of a condition: <c>quantile(0.95, service="api")[5m]</c>, <c>app_rate("payments_failed_total")[5m]</c>.</summary>
internal sealed record AlertSelector(AlertFunction Function, double? Parameter, IReadOnlyList<LabelMatcher> Matchers, TimeSpan? Window)
{
    /// <summary>The scraped series an application function reads, by sample name; empty for the others.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Matchers.All(m => m.Matches(labels));
}
