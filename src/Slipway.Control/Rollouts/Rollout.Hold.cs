using Slipway.Control.Analysis;
using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Core.Primitives;

namespace Slipway.Control.Rollouts;

/// <summary>The hold before 100 %: a canary no analysis of its last step has passed is not promoted, but waits at its weight.</summary>
internal sealed partial class Rollout
{
    /// <summary>The latest pass or fail since the current step began (inconclusive windows leave it); null while none.</summary>
    private AnalysisResult? _stepResult;

    /// <summary>True while <see cref="HoldUntilJudgedAsync"/> holds the canary (paused by hand or not): the status says why.</summary>
    private bool _holding;

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
}
