using System.Globalization;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Analysis;

/// <summary>
/// Judges a new revision against the stable one over the same window, from the proxy's own numbers.
/// Fixed thresholds first (error rate, p95, p99 against the manifest's maxima); then, with
/// <c>compareToStable</c>, statistics that catch a regression below those thresholds: a one-sided
/// two-proportion z-test on error rates and a Mann-Whitney U test on latency, each needing both
/// significance (p &lt; <see cref="Significance"/>) and a material effect, so a large sample does not fail a
/// canary for a difference nobody would notice. Latency is judged only on requests after the new revision's
/// warm-up (<c>analysis.warmup</c>): a freshly started .NET process answers its first seconds several times
/// slower than a warm one (P(canary slower) 0.77–0.80 in the end-to-end tests' first windows), which is no
/// regression of the version.
/// </summary>
internal sealed class CanaryAnalyzer
{
    /// <summary>The p-value below which a difference to stable counts as real.</summary>
    public const double Significance = 0.01;

    /// <summary>
    /// Latency relative to stable fails only when a canary request is slower than a stable one this often
    /// (0.5 = no difference; 0.71 is Vargha and Delaney's "large" effect). A freshly started instance still
    /// compiling its code measured 0.70 against a warm stable under load in bench/rollout.sh, so a smaller bar
    /// rolled back healthy canaries.
    /// </summary>
    public const double MaterialSlowdown = 0.71;

    private readonly AnalysisSpec _spec;

    public CanaryAnalyzer(AnalysisSpec spec) => _spec = spec;

    /// <summary>Judges a window in which both revisions were warm throughout.</summary>
    public AnalysisResult Evaluate(RequestStats canary, RequestStats stable) => Evaluate(canary, stable, canary, stable);

    /// <param name="canary">Every request of the window to the new revision: what the error checks count.</param>
    /// <param name="stable">The stable revision's requests over the same window.</param>
    /// <param name="warmCanary">
    /// The new revision's requests after its warm-up, over the part of the window after it (null while the whole window
    /// is warm-up): what the latency checks judge, so a canary still compiling its code is not failed for it.
    /// </param>
    /// <param name="warmStable">The stable revision's requests over that same part of the window.</param>
    public AnalysisResult Evaluate(RequestStats canary, RequestStats stable, RequestStats? warmCanary, RequestStats? warmStable)
    {
        var checks = new List<AnalysisCheck>();
        if (canary.Requests < _spec.MinRequests)
        {
            checks.Add(new AnalysisCheck("requests", AnalysisVerdict.Inconclusive,
                $"{canary.Requests} requests to the new revision, {_spec.MinRequests} needed before a verdict"));
            return new AnalysisResult(AnalysisVerdict.Inconclusive, checks, canary.Requests, stable.Requests);
        }

        var maxErrorRate = _spec.MaxErrorRate.Value / 100;
        checks.Add(canary.ErrorRate > maxErrorRate
            ? new AnalysisCheck("error-rate", AnalysisVerdict.Fail, $"error rate {Percent(canary.ErrorRate)} ({canary.Errors} of {canary.Requests}) > {Percent(maxErrorRate)}")
            : new AnalysisCheck("error-rate", AnalysisVerdict.Pass, $"error rate {Percent(canary.ErrorRate)} ≤ {Percent(maxErrorRate)}"));
        if (_spec.CompareToStable)
        {
            checks.Add(stable.Requests < _spec.MinRequests
                ? new AnalysisCheck("vs-stable", AnalysisVerdict.Pass, $"stable served {stable.Requests} requests, fewer than {_spec.MinRequests}: no comparison")
                : CompareErrors(canary, stable, maxErrorRate));
        }

        AddLatencyChecks(checks, warmCanary, warmStable);
        var verdict = checks.Any(c => c.Verdict == AnalysisVerdict.Fail) ? AnalysisVerdict.Fail : AnalysisVerdict.Pass;
        return new AnalysisResult(verdict, checks, canary.Requests, stable.Requests);
    }

    /// <summary>
    /// The latency checks, on warm requests only and with <c>minRequests</c> of them on each side; a latency check
    /// that cannot be made yet is inconclusive, which neither fails the window nor holds its error verdict back.
    /// </summary>
    private void AddLatencyChecks(List<AnalysisCheck> checks, RequestStats? canary, RequestStats? stable)
    {
        var wanted = _spec.MaxP95 is not null || _spec.MaxP99 is not null || _spec.CompareToStable;
        if (!wanted)
        {
            return;
        }

        if (canary is null || canary.Requests < _spec.MinRequests)
        {
            checks.Add(new AnalysisCheck("latency", AnalysisVerdict.Inconclusive, canary is null
                ? $"latency not judged during the new revision's {Seconds(_spec.Warmup)} warm-up"
                : $"{canary.Requests} requests to the new revision after its warm-up, {_spec.MinRequests} needed to judge latency"));
            return;
        }

        AddLatencyLimit(checks, "p95", canary.Quantile(0.95), _spec.MaxP95);
        AddLatencyLimit(checks, "p99", canary.Quantile(0.99), _spec.MaxP99);
        if (_spec.CompareToStable)
        {
            checks.Add(stable is null || stable.Requests < _spec.MinRequests
                ? new AnalysisCheck("latency-vs-stable", AnalysisVerdict.Inconclusive,
                    $"stable served {stable?.Requests ?? 0} requests after the new revision's warm-up, fewer than {_spec.MinRequests}: no latency comparison")
                : CompareLatency(canary, stable));
        }
    }

    private static void AddLatencyLimit(List<AnalysisCheck> checks, string name, TimeSpan? observed, TimeSpan? limit)
    {
        if (limit is not { } max || observed is not { } value)
        {
            return;
        }

        checks.Add(value > max
            ? new AnalysisCheck(name, AnalysisVerdict.Fail, $"{name} {Millis(value)} > {Millis(max)}")
            : new AnalysisCheck(name, AnalysisVerdict.Pass, $"{name} {Millis(value)} ≤ {Millis(max)}"));
    }

    /// <summary>
    /// One-sided two-proportion z-test (pooled). Fails when the canary's error rate is significantly higher
    /// and higher by at least half the allowed maximum (a 0.6 % canary against a 0.05 % stable, under a 1 % max).
    /// </summary>
    private static AnalysisCheck CompareErrors(RequestStats canary, RequestStats stable, double maxErrorRate)
    {
        double n1 = canary.Requests, n2 = stable.Requests;
        var p1 = canary.ErrorRate;
        var p2 = stable.ErrorRate;
        var pooled = (canary.Errors + stable.Errors) / (n1 + n2);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1 / n1) + (1 / n2)));
        var p = se == 0 ? (p1 > p2 ? 0 : 1) : NormalDistribution.UpperTail((p1 - p2) / se);
        var material = p1 - p2 >= maxErrorRate / 2;
        var figures = $"error rate {Percent(p1)} vs stable {Percent(p2)} (z-test p={P(p)})";
        return p < Significance && material
            ? new AnalysisCheck("error-rate-vs-stable", AnalysisVerdict.Fail, figures)
            : new AnalysisCheck("error-rate-vs-stable", AnalysisVerdict.Pass, figures);
    }

    private static AnalysisCheck CompareLatency(RequestStats canary, RequestStats stable)
    {
        var p = MannWhitney.CanarySlower(canary, stable, out var slower);
        var figures = $"latency p95 {Millis(canary.Quantile(0.95))} vs stable {Millis(stable.Quantile(0.95))}, "
            + $"P(canary slower)={slower.ToString("0.00", CultureInfo.InvariantCulture)} (Mann-Whitney p={P(p)})";
        return p < Significance && slower >= MaterialSlowdown
            ? new AnalysisCheck("latency-vs-stable", AnalysisVerdict.Fail, figures)
            : new AnalysisCheck("latency-vs-stable", AnalysisVerdict.Pass, figures);
    }

    private static string Percent(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Millis(TimeSpan? value) => value is { } v ? v.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + "ms" : "n/a";

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";

    private static string P(double p) => p < 0.0001 ? "<0.0001" : p.ToString("0.####", CultureInfo.InvariantCulture);
}
