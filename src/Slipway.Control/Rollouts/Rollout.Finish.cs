using System.Globalization;
using Slipway.Control.Analysis;
using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Control.Telemetry;
using Slipway.Core.Primitives;

namespace Slipway.Control.Rollouts;

/// <summary>Analysis, promotion, and the way back to stable.</summary>
internal sealed partial class Rollout
{
    private DateTimeOffset _windowStart;
    private DateTimeOffset _windowEnd;
    private DateTimeOffset _warmFrom;
    private long _lastAnalysisAt;

    /// <summary>
    /// Compares the new revision with stable over the same window: the whole seconds since the last verdict. An
    /// inconclusive window (too few requests) is not thrown away but extended, so a low-traffic canary still gets
    /// judged once <c>minRequests</c> have arrived rather than never. Latency is judged only on the part of the window
    /// after the new revision's warm-up (<see cref="_warmFrom"/>).
    /// </summary>
    private void Analyze()
    {
        var now = _context.Time.GetUtcNow();
        _lastAnalysisAt = _context.Time.GetTimestamp();

        // Up to the end of the last whole second: the current one is still filling, and the next window starts
        // exactly where this one ends, so no second is counted twice or lost.
        var to = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()) - TimeSpan.FromTicks(1);
        if (to <= _windowStart || to == _windowEnd)
        {
            // No whole second since the last look (an interval under a second): nothing new to judge.
            return;
        }

        _windowEnd = to;
        var canary = _context.Metrics.Between(_windowStart, to, IsCanary);
        var stable = _context.Metrics.Between(_windowStart, to, IsStable);
        var warmFrom = _windowStart > _warmFrom ? _windowStart : _warmFrom;
        var warm = to > warmFrom;
        var result = new CanaryAnalyzer(Deploy.Analysis).Evaluate(canary, stable,
            warm ? _context.Metrics.Between(warmFrom, to, IsCanary) : null,
            warm ? _context.Metrics.Between(warmFrom, to, IsStable) : null);
        if (_context.Applications is { } applications && Deploy.Analysis.Metrics.Count > 0)
        {
            result = MetricAnalyzer.Merge(result, new MetricAnalyzer(Deploy.Analysis.Metrics).Evaluate(applications, Service, Revision, StableRevision, now));
        }

        if (result.Verdict != AnalysisVerdict.Inconclusive)
        {
            _windowStart = to;
        }

        int failures;
        lock (_lock)
        {
            _lastAnalysis = result;
            _consecutiveFailures = result.Verdict switch
            {
                AnalysisVerdict.Fail => _consecutiveFailures + 1,
                AnalysisVerdict.Pass => 0,
                _ => _consecutiveFailures,
            };
            failures = _consecutiveFailures;
        }

        Record(EventKinds.RolloutAnalysis, $"{result.Verdict.ToString().ToLowerInvariant()} ({result.CanaryRequests} canary / {result.StableRequests} stable requests): {result.Summary}");
        if (failures >= Deploy.Analysis.FailureLimit)
        {
            throw new RolloutEndedException(RolloutEnd.RolledBack($"analysis failed {failures} times in a row: {result.Summary}"));
        }
    }

    private bool IsCanary(RequestSeriesKey key) => key.Service == Service && key.Revision == Revision;

    private bool IsStable(RequestSeriesKey key) => key.Service == Service && key.Revision == StableRevision;

    /// <summary>All instances of the new revision ready, then ONE swap makes it current with all traffic; the old set drains (or stays warm).</summary>
    private async Task PromoteNowAsync()
    {
        CheckCommands();
        SetPhase(RolloutPhase.Promoting);
        if (Strategy == RolloutStrategy.Canary)
        {
            await Host.ScaleRevisionAsync(Service, Revision, Replicas).ConfigureAwait(false);
            await WaitReadyAsync(Replicas).ConfigureAwait(false);
            await SmokeAsync().ConfigureAwait(false); // promoted before its first step: not checked yet
        }

        Traffic.SetTraffic(Service, Revision, Version, null);
        ClearPreview();
        lock (_lock)
        {
            _weights = new Dictionary<string, int>(StringComparer.Ordinal) { [Revision] = 100 };
        }

        var now = _context.Time.GetUtcNow();
        _context.Store.SetRevisionOutcome(Service, Revision, RevisionOutcome.Promoted, now);
        string? afterFailure = null;
        if (Deploy.Hooks.After is { } after && Strategy != RolloutStrategy.Rollback)
        {
            afterFailure = await HookRunner.RunAsync(_context, after, Service, Revision, Version, CancellationToken.None).ConfigureAwait(false);
        }

        var warm = Strategy == RolloutStrategy.BlueGreen && Deploy.ScaleDownDelay > TimeSpan.Zero;
        var message = $"revision {Revision} (version {Version}) takes all traffic after {(_context.Time.GetUtcNow() - Started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s"
            + (warm ? $"; revision {StableRevision} stays warm for {DurationText.Format(Deploy.ScaleDownDelay)} for an instant rollback" : "")
            + (afterFailure is null ? "" : $"; after hook failed: {afterFailure}");
        if (warm)
        {
            // The row stays (phase warm) so a daemon restart keeps the old set and its scale-down time.
            SetPhase(RolloutPhase.Warm);
        }
        else
        {
            SetPhase(RolloutPhase.DrainingOld);
            await Host.StopRevisionAsync(Service, StableRevision).ConfigureAwait(false);
            _context.Store.DeleteRollout(Service);
        }

        Finish(RolloutEnd.Promoted(message));
    }

    /// <summary>
    /// Traffic back on the stable revision in ONE table swap (after restoring its capacity if a rolling update had
    /// drained some of it), then the new instances drained and stopped.
    /// </summary>
    private async Task BackToStableAsync(RolloutEnd end)
    {
        lock (_lock)
        {
            _phase = RolloutPhase.RollingBack;
        }

        var stable = Host.Revisions(Service).FirstOrDefault(r => r.Revision == StableRevision);
        if (stable is null || stable.Desired < Replicas)
        {
            await Host.StartRevisionAsync(Service, StableRevision, StableVersion, Replicas - (stable?.Desired ?? 0)).ConfigureAwait(false);
            var started = _context.Time.GetTimestamp();
            while (Ready(StableRevision) < Replicas && _context.Time.GetElapsedTime(started) < Deploy.ProgressDeadline && !_cancel.IsCancellationRequested)
            {
                await Task.Delay(_context.PollInterval, _context.Time, CancellationToken.None).ConfigureAwait(false);
            }
        }

        Traffic.SetTraffic(Service, StableRevision, StableVersion, null);
        ClearPreview();
        lock (_lock)
        {
            _weights = new Dictionary<string, int>(StringComparer.Ordinal) { [StableRevision] = 100 };
        }

        Record(end.EventKind, $"{end.Message}; traffic back on revision {StableRevision} (version {StableVersion}), revision {Revision} draining");
        await Host.StopRevisionAsync(Service, Revision).ConfigureAwait(false);
        _context.Store.SetRevisionOutcome(Service, Revision, end.Outcome, _context.Time.GetUtcNow());
        _context.Store.DeleteRollout(Service);
        lock (_lock)
        {
            _end = end;
            _finished = _context.Time.GetUtcNow();
            _phase = end.Phase;
        }
    }

    /// <summary>Once the rollout is decided there is nothing left to preview: the preview host answers 404 again.</summary>
    private void ClearPreview()
    {
        if (Deploy.PreviewHost is not null)
        {
            Traffic.SetPreview(Service, null);
        }
    }

    private void Finish(RolloutEnd end)
    {
        Record(end.EventKind, end.Message);
        lock (_lock)
        {
            _end = end;
            _finished = _context.Time.GetUtcNow();
            if (_phase != RolloutPhase.Warm)
            {
                _phase = end.Phase;
            }
        }
    }
}
