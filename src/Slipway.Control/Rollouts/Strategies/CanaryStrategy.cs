using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;

namespace Slipway.Control.Rollouts.Strategies;

/// <summary>
/// Steps of weight and pause; canary instances scaled to the weight (at least one); analysis every interval;
/// after the last pause, held at its weight until an analysis of that step passes (or <c>slipway promote</c>);
/// at promotion the new revision scaled to the full count before the switch.
/// </summary>
internal sealed class CanaryStrategy : IRolloutStrategy
{
    public RolloutStrategy Name => RolloutStrategy.Canary;

    public StrategyTraits Traits { get; } = new(RunsHooks: true, PromotedByCommand: true, AnalysesWhileWaiting: false, KeepsOldSetWarm: false);

    public int Steps(DeploySpec deploy) => deploy.Steps.Count;

    public async Task RunAsync(Rollout rollout)
    {
        var steps = rollout.Deploy.Steps;
        var running = 0;
        for (var i = 0; i < steps.Count && !rollout.PromoteRequested(); i++)
        {
            await rollout.WhilePausedAsync().ConfigureAwait(false);
            var weight = steps[i].Weight;
            var replicas = Math.Clamp((int)Math.Ceiling(rollout.Replicas * weight / 100.0), 1, rollout.Replicas);
            if (i == 0)
            {
                await rollout.Host.StartRevisionAsync(rollout.Service, rollout.Revision, rollout.Version, replicas).ConfigureAwait(false);
            }
            else
            {
                await rollout.Host.ScaleRevisionAsync(rollout.Service, rollout.Revision, replicas).ConfigureAwait(false);
            }

            rollout.SetPhase(RolloutPhase.WaitingReady);
            await rollout.WaitReadyAsync(replicas).ConfigureAwait(false);
            if (i == 0)
            {
                await rollout.SmokeAsync().ConfigureAwait(false);
                rollout.StartAnalysis();
            }

            rollout.SetWeights(100 - weight, weight);
            rollout.StartStep();
            if (replicas > running)
            {
                // Fresh instances answer slowly while they compile their code: their latency is judged once warm.
                rollout.JudgeLatencyAfterWarmup();
                running = replicas;
            }

            rollout.SetPhase(RolloutPhase.Canary, i + 1);
            var pause = steps[i].Pause;
            rollout.Record(EventKinds.RolloutStep, $"step {i + 1}/{steps.Count}: {weight}% to revision {rollout.Revision} on {replicas} instance(s); "
                + (pause.UntilPromoted ? "waiting for `slipway promote`" : $"pause {DurationText.Format(pause.Duration)}"));
            await rollout.PauseWithAnalysisAsync(pause.UntilPromoted ? null : pause.Duration).ConfigureAwait(false);
        }

        // Never to 100 % unjudged: after its last pause the canary waits at its weight for a verdict of that step.
        await rollout.HoldUntilJudgedAsync().ConfigureAwait(false);
        await rollout.PromoteNowAsync(async () =>
        {
            await rollout.Host.ScaleRevisionAsync(rollout.Service, rollout.Revision, rollout.Replicas).ConfigureAwait(false);
            await rollout.WaitReadyAsync(rollout.Replicas).ConfigureAwait(false);
            await rollout.SmokeAsync().ConfigureAwait(false); // promoted before its first step: not checked yet
        }).ConfigureAwait(false);
    }
}
