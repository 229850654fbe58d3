using System.Globalization;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Analysis;

/// <summary>
/// The PromQL of a rollout's analysis: what Slipway's local analyzer computes from its proxy's counters, over the same
/// window (<c>analysis.interval</c>), from the cluster's request metrics. A window with fewer than <c>minRequests</c>
/// requests is not judged on one machine (inconclusive); here its query answers 0, which passes, so it neither fails
/// the rollout nor stops it, as there.
/// </summary>
internal sealed class AnalysisQueries(RequestMetricNames names, string @namespace, TimeSpan window, int minRequests)
{
    /// <summary>The one-sided z for p &lt; 0.01, the local analyzer's significance: z above it, p below.</summary>
    public const double CriticalZ = 2.3263478740408408;

    private readonly string _window = Names.PromDuration(window);

    /// <summary>Requests to <paramref name="service"/> over the window.</summary>
    public string Requests(string service) =>
        $"sum(increase({names.Requests}{names.Matchers(@namespace, $"=\"{service}\"")}[{_window}]))";

    /// <summary>5xx answers of <paramref name="service"/> over the window; 0 when the series does not exist yet.</summary>
    public string Errors(string service) =>
        $"(sum(increase({names.Requests}{names.Matchers(@namespace, $"=\"{service}\"", names.ServerError)}[{_window}])) or on() vector(0))";

    /// <summary>The share of 5xx answers: the local <c>error-rate</c> check's number.</summary>
    public string ErrorRate(string service) => Gated($"{Errors(service)} / {Requests(service)}", service);

    /// <summary>A latency quantile in seconds, interpolated in the histogram's buckets as the local analyzer does.</summary>
    public string Quantile(string service, double q)
    {
        var quantile = $"histogram_quantile({YamlWriter.Number(q)}, sum by (le) (rate({names.DurationBuckets}{names.Matchers(@namespace, $"=\"{service}\"")}[{_window}])))";
        return Gated(names.DurationUnitsPerSecond == 1 ? quantile : $"{quantile} / {YamlWriter.Number(names.DurationUnitsPerSecond)}", service);
    }

    /// <summary>
    /// 1 when the canary's error rate is above stable's both significantly (the one-sided pooled two-proportion z-test,
    /// p &lt; 0.01) and materially (by at least <paramref name="materialDifference"/>), else 0: the local
    /// <c>error-rate-vs-stable</c> check. Either side under <c>minRequests</c> is not compared (0).
    /// </summary>
    public string ErrorRateAboveStable(string canary, string stable, double materialDifference)
    {
        string ec = Errors(canary), nc = Requests(canary), es = Errors(stable), ns = Requests(stable);
        var difference = $"({ec} / {nc} - {es} / {ns})";
        var pooled = $"(({ec} + {es}) / ({nc} + {ns}))";
        var z = $"{difference} / sqrt({pooled} * (1 - {pooled}) * (1 / {nc} + 1 / {ns}))";
        return $"(({difference} >= bool {YamlWriter.Number(materialDifference)}) * ({z} > bool {YamlWriter.Number(CriticalZ)}))"
            + $" and on() ({nc} >= {Min}) and on() ({ns} >= {Min}) or on() vector(0)";
    }

    private string Min => minRequests.ToString(CultureInfo.InvariantCulture);

    private string Gated(string value, string service) => $"({value}) and on() ({Requests(service)} >= {Min}) or on() vector(0)";
}
