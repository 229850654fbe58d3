using Slipway.Control.Analysis;
using Slipway.Control.Events;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Rollouts;

/// <summary>A blue-green deploy's warm period: the promoted revision still judged, the old set ready to take traffic back.</summary>
internal sealed partial class RolloutController
{
    /// <summary>
    /// Judges the promoted revision every <c>analysis.interval</c> until <paramref name="delay"/> has passed, against the
    /// fixed limits only (the warm old set takes no traffic to compare with); latency once the revision's warm-up after
    /// the switch is over, as for a canary.
    /// </summary>
    /// <returns>Why it failed <c>failureLimit</c> times in a row, or null when the warm period ended without that.</returns>
    private async Task<string?> WatchWarmAsync(string service, string promoted, AnalysisSpec spec, TimeSpan delay, CancellationToken cancel)
    {
        var time = _context.Time;
        var started = time.GetTimestamp();
        var now = time.GetUtcNow();
        var windowStart = WholeSecondBefore(now);
        var warmFrom = now + spec.Warmup;
        var analyzer = new CanaryAnalyzer(spec with { CompareToStable = false });
        var failures = 0;
        bool IsPromoted(RequestSeriesKey key) => key.Service == service && key.Revision == promoted;
        while (true)
        {
            var left = delay - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.Delay(left < spec.Interval ? left : spec.Interval, time, cancel).ConfigureAwait(false);
            var to = WholeSecondBefore(time.GetUtcNow());
            if (to <= windowStart)
            {
                continue;
            }

            var from = windowStart > warmFrom ? windowStart : warmFrom;
            var result = analyzer.Evaluate(_context.Metrics.Between(windowStart, to, IsPromoted), _context.Metrics.Between(windowStart, to, _ => false),
                to > from ? _context.Metrics.Between(from, to, IsPromoted) : null, null);
            if (result.Verdict == AnalysisVerdict.Inconclusive)
            {
                continue;
            }

            windowStart = to;
            failures = result.Verdict == AnalysisVerdict.Fail ? failures + 1 : 0;
            _context.Journal.Record(service, null, EventKinds.RolloutAnalysis,
                $"after promotion: {result.Verdict.ToString().ToLowerInvariant()} ({result.CanaryRequests} requests): {result.Summary}");
            if (failures >= spec.FailureLimit)
            {
                return $"analysis after promotion (failed {failures} times in a row: {result.Summary})";
            }
        }
    }

    /// <summary>The instant rollback, on the controller's own account, unless a command already retired the warm set.</summary>
    private async Task RollBackToWarmAsync(string service, string revision, string version, CancellationTokenSource cancel, string why)
    {
        await _commands.WaitAsync(cancel.Token).ConfigureAwait(false);
        try
        {
            lock (_lock)
            {
                if (_warm.GetValueOrDefault(service)?.Cancel != cancel)
                {
                    return;
                }
            }

            await SwitchToWarmAsync(service, _context.Traffic.Current(service), (revision, version), why).ConfigureAwait(false);
        }
        finally
        {
            _commands.Release();
        }
    }

    /// <summary>The end of the last whole second before <paramref name="now"/>: analysis windows are whole seconds.</summary>
    private static DateTimeOffset WholeSecondBefore(DateTimeOffset now) => DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()) - TimeSpan.FromTicks(1);
}
