namespace Slipway.Control.Telemetry;

/// <summary>
/// The fixed latency buckets every request histogram uses: upper bounds in seconds from 1 ms to 30 s, steps of
/// about ×1.5, plus +Inf. Fixed so histograms of any two revisions, seconds or series add up bucket by bucket.
/// </summary>
internal static class LatencyBuckets
{
    /// <summary>Upper bounds (inclusive, like Prometheus' <c>le</c>) in seconds; the last bucket (+Inf) is implied.</summary>
    public static readonly double[] UpperBounds =
    [
        0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75,
        1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30,
    ];

    /// <summary>Buckets including +Inf.</summary>
    public static int Count => UpperBounds.Length + 1;

    /// <summary>The index of the first bucket whose upper bound is at least <paramref name="seconds"/>.</summary>
    public static int IndexOf(double seconds)
    {
        var bounds = UpperBounds;
        var low = 0;
        var high = bounds.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (bounds[middle] < seconds)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>The lower edge of a bucket (0 for the first).</summary>
    public static double LowerBound(int index) => index == 0 ? 0 : UpperBounds[index - 1];

    /// <summary>The upper edge of a bucket; the +Inf bucket reports the last finite bound.</summary>
    public static double UpperBound(int index) => UpperBounds[Math.Min(index, UpperBounds.Length - 1)];
}
