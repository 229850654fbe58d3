namespace Slipway.Core.Alerting;

/// <summary>One function of the alert language: what it reads, whether it takes a window or a leading number.</summary>
/// <param name="Window">Whether <c>[5m]</c> is required (true), forbidden (false).</param>
/// <param name="Parameter">A leading number such as the 0.95 of <c>quantile(0.95, ...)</c>, with the range it must be in.</param>
internal sealed record AlertFunction(string Name, AlertSource Source, bool Window, (double Min, double Max)? Parameter, string Meaning)
{
    /// <summary>How many quoted metric names come first: 1 for <c>app_rate("x_total")</c>, 2 for <c>app_ratio("a", "b")</c>.</summary>
    public int MetricNames { get; init; }

    /// <summary>The labels a matcher may name; over application series also any label the series carry.</summary>
    public IReadOnlyList<string> Labels => Source switch
    {
        AlertSource.Application => ["service", "revision", "instance"],
        AlertSource.Requests => ["service", "revision", "route"],
        AlertSource.Instances => ["service", "revision", "instance"],
        AlertSource.Certificates => ["certificate"],
        AlertSource.Jobs => ["job_name"],
        _ => ["backup"],
    };
}
