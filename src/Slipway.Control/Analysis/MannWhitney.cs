using Slipway.Control.Telemetry;

namespace Slipway.Control.Analysis;

/// <summary>
/// The Mann-Whitney U test on two latency histograms: is the canary's latency stochastically greater than
/// stable's? Requests in one bucket are ties and get the bucket's mid-rank; the variance carries the tie
/// correction and the z statistic a continuity correction (the normal approximation holds for the request
/// counts analysis needs anyway). Works on the fixed buckets of <see cref="LatencyBuckets"/>, so it needs no
/// raw samples and costs nothing on the request path.
/// </summary>
internal static class MannWhitney
{
    /// <summary>One-sided p-value for "canary slower than stable"; 1 when either side has no requests.</summary>
    /// <param name="probabilitySlower">P(a canary request is slower than a stable one), ties counted half: the effect size.</param>
    public static double CanarySlower(RequestStats canary, RequestStats stable, out double probabilitySlower)
    {
        double n1 = 0, n2 = 0;
        for (var i = 0; i < LatencyBuckets.Count; i++)
        {
            n1 += canary.Bucket(i);
            n2 += stable.Bucket(i);
        }

        probabilitySlower = 0.5;
        if (n1 == 0 || n2 == 0)
        {
            return 1;
        }

        var n = n1 + n2;
        double rankBelow = 0, canaryRanks = 0, ties = 0;
        for (var i = 0; i < LatencyBuckets.Count; i++)
        {
            double a = canary.Bucket(i), b = stable.Bucket(i), t = a + b;
            if (t == 0)
            {
                continue;
            }

            var midRank = rankBelow + ((t + 1) / 2);
            canaryRanks += a * midRank;
            ties += (t * t * t) - t;
            rankBelow += t;
        }

        var u = canaryRanks - (n1 * (n1 + 1) / 2);
        probabilitySlower = u / (n1 * n2);
        var variance = n1 * n2 / 12 * ((n + 1) - (ties / (n * (n - 1))));
        if (variance <= 0)
        {
            return 1;
        }

        var z = (u - (n1 * n2 / 2) - 0.5) / Math.Sqrt(variance);
        return NormalDistribution.UpperTail(z);
    }
}
