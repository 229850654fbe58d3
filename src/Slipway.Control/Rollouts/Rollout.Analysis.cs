using Slipway.Control.Analysis;
using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Control.Telemetry;
using Slipway.Core.Primitives;

namespace Slipway.Control.Rollouts;

/// <summary>Analysis: the new revision judged against stable over whole-second windows, its latency once warm.</summary>
internal sealed partial class Rollout
{
    private DateTimeOffset _windowStart;
    private DateTimeOffset _windowEnd;
    private DateTimeOffset _warmFrom;
    private long _lastAnalysisAt;

    /// <summary>The latest pass or fail since the current step began (inconclusive windows leave it); null while none.</summary>
    private AnalysisResult? _stepResult;

    /// <summary>True while <see cref="HoldUntilJudgedAsync"/> holds the canary (paused by hand or not): the status says why.</summary>
    private bool _holding;

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

    /// <summary>A step's split is set: what decides its promotion is a verdict given from now on.</summary>
    public void StartStep()
    {
        lock (_lock)
        {
            _stepResult = null;
        }
    }

    /// <summary>
    /// Before a canary takes all traffic: unless the latest verdict since its last step began is a pass, holds at its
    /// weight, analysing every interval (inconclusive windows keep growing), until one passes. <c>slipway promote</c>
    /// ends the hold (the operator's decision); the progress deadline fails the rollout back to stable, as it does a
    /// revision that never gets ready; a manual pause stops its clock, as it stops a step's pause.
    /// </summary>
    public async Task HoldUntilJudgedAsync()
    {
        if (PromoteRequested() || StepVerdict() == AnalysisVerdict.Pass)
        {
            return;
        }

        lock (_lock)
        {
            _holding = true;
        }

        SetPhase(RolloutPhase.AwaitingVerdict);
        Record(EventKinds.RolloutStep, $"step {_step}/{_strategy.Steps(Deploy)} over; held at {_weights.GetValueOrDefault(Revision)}% until an analysis passes: {HoldReason()}; "
            + $"`slipway promote {Service}` promotes now, and the progress deadline ({DurationText.Format(Deploy.ProgressDeadline)}) fails the rollout");
        await PauseWithAnalysisAsync(Deploy.ProgressDeadline, () => StepVerdict() == AnalysisVerdict.Pass).ConfigureAwait(false);
        lock (_lock)
        {
            _holding = false;
        }

        if (StepVerdict() == AnalysisVerdict.Pass)
        {
            Record(EventKinds.RolloutStep, $"analysis passed ({_lastAnalysis?.CanaryRequests} canary requests): the hold ends");
            return;
        }

        if (PromoteRequested())
        {
            Record(EventKinds.RolloutStep, $"`slipway promote` ends the hold: revision {Revision} promoted with no analysis passed since step {_step} began ({HoldReason()})");
            return;
        }

        throw new RolloutEndedException(RolloutEnd.Failed(
            $"revision {Revision} was not judged within the progress deadline ({DurationText.Format(Deploy.ProgressDeadline)}): {HoldReason()}"));
    }

    private AnalysisVerdict? StepVerdict()
    {
        lock (_lock)
        {
            return _stepResult?.Verdict;
        }
    }

    /// <summary>Why a held canary is not promoted yet, with the figures: "not judged yet: 7 of 20 requests".</summary>
    private string HoldReason()
    {
        lock (_lock)
        {
            var since = _lastAnalysis switch
            {
                null => "no analysis has run",
                { Verdict: AnalysisVerdict.Inconclusive } a when a.CanaryRequests < Deploy.Analysis.MinRequests =>
                    $"{a.CanaryRequests} of {Deploy.Analysis.MinRequests} requests",
                { Verdict: AnalysisVerdict.Inconclusive } a => a.Summary,
                _ => null,
            };
            if (_stepResult is { Verdict: AnalysisVerdict.Fail } failed)
            {
                return $"the last analysis failed ({_consecutiveFailures} in a row; {Deploy.Analysis.FailureLimit} roll back): {failed.Summary}"
                    + (since is null ? "" : $"; not judged since: {since}");
            }

            return since is null ? $"not judged yet since step {_step} began" : $"not judged yet: {since}";
        }
    }

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
