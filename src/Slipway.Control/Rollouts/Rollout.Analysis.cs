using Slipway.Control.Analysis;
using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Control.Telemetry;

namespace Slipway.Control.Rollouts;

/// <summary>Analysis: the new revision judged against stable over whole-second windows, its latency once warm.</summary>
internal sealed partial class Rollout
{
    private DateTimeOffset _windowStart;
    private DateTimeOffset _windowEnd;
    private DateTimeOffset _warmFrom;
    private long _lastAnalysisAt;

    /// <summary>
    /// Judges from now on: the first window starts at the end of the last whole second, so it holds only requests
    /// made after the split that follows.
    /// </summary>
    public void StartAnalysis()
    {
        _windowStart = DateTimeOffset.FromUnixTimeSeconds(_context.Time.GetUtcNow().ToUnixTimeSeconds()) - TimeSpan.FromTicks(1);
        _lastAnalysisAt = _context.Time.GetTimestamp();
    }

    /// <summary>New instances answer slowly while they compile their code: their latency is judged only after <c>analysis.warmup</c> from now.</summary>
    public void JudgeLatencyAfterWarmup() => _warmFrom = _context.Time.GetUtcNow() + Deploy.Analysis.Warmup;

    /// <summary>
    /// Holds for <paramref name="duration"/> (null: until promoted) or until <paramref name="done"/>, analysing every
    /// interval; a manual pause stops the clock, and holds on even once <paramref name="done"/> (until resumed).
    /// </summary>
    public async Task PauseWithAnalysisAsync(TimeSpan? duration, Func<bool>? done = null)
    {
        var remaining = duration ?? TimeSpan.MaxValue;
        var interval = Deploy.Analysis.Interval;
        var running = _phase;
        while (!PromoteRequested() && remaining > TimeSpan.Zero && (Paused() || done?.Invoke() != true))
        {
            var paused = Paused();
            if (paused)
            {
                SetPhase(RolloutPhase.Paused);
            }

            var untilAnalysis = interval - _context.Time.GetElapsedTime(_lastAnalysisAt);
            var slice = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(1).Ticks, Math.Min(untilAnalysis.Ticks, remaining.Ticks)));
            var before = _context.Time.GetTimestamp();
            await WaitAsync(slice).ConfigureAwait(false);
            if (!paused && duration is not null)
            {
                remaining -= _context.Time.GetElapsedTime(before);
            }

            if (!Paused() && _phase == RolloutPhase.Paused)
            {
                SetPhase(running);
            }

            WatchNew();
            await ApplyResizeAsync().ConfigureAwait(false);
            if (_context.Time.GetElapsedTime(_lastAnalysisAt) >= interval)
            {
                Analyze();
            }
        }
    }


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
            if (result.Verdict != AnalysisVerdict.Inconclusive)
            {
                _stepResult = result;
            }
        }

        Record(EventKinds.RolloutAnalysis, $"{result.Verdict.ToString().ToLowerInvariant()} ({result.CanaryRequests} canary / {result.StableRequests} stable requests): {result.Summary}");
        if (failures >= Deploy.Analysis.FailureLimit)
        {
            throw new RolloutEndedException(RolloutEnd.RolledBack($"analysis failed {failures} times in a row: {result.Summary}"));
        }
    }

    private bool IsCanary(RequestSeriesKey key) => key.Service == Service && key.Revision == Revision;

    private bool IsStable(RequestSeriesKey key) => key.Service == Service && key.Revision == StableRevision;
}
