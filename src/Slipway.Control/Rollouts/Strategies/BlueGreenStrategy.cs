using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Rollouts.Strategies;

/// <summary>
/// The full new set beside the old; smoke checks through the pin; then one switch, automatic or by
/// <c>slipway promote</c>. The old set stays warm for <c>scaleDownDelay</c> after it.
/// </summary>
internal sealed class BlueGreenStrategy : IRolloutStrategy
{
    public RolloutStrategy Name => RolloutStrategy.BlueGreen;

    public StrategyTraits Traits { get; } = new(RunsHooks: true, PromotedByCommand: true, AnalysesWhileWaiting: false, KeepsOldSetWarm: true);

    public int Steps(DeploySpec deploy) => 0;

    public Task RunAsync(Rollout rollout) => RunAsync(rollout, waitForPromotion: !rollout.Deploy.AutoPromote);

    /// <summary>The switch itself, shared with <see cref="RollbackStrategy"/>, which never waits for a command.</summary>
    internal static async Task RunAsync(Rollout rollout, bool waitForPromotion)
    {
        await rollout.Host.StartRevisionAsync(rollout.Service, rollout.Revision, rollout.Version, rollout.Replicas).ConfigureAwait(false);
        rollout.SetPhase(RolloutPhase.WaitingReady);
        await rollout.WaitReadyAsync(rollout.Replicas).ConfigureAwait(false);
        await rollout.SmokeAsync().ConfigureAwait(false);
        if (waitForPromotion)
        {
            rollout.SetPhase(RolloutPhase.WaitingPromotion);
            rollout.Record(EventKinds.RolloutStep, $"revision {rollout.Revision} ready ({rollout.Replicas} instances) and reachable with the {SmokeChecker.PinHeader}: {rollout.Revision} header"
                + (rollout.Deploy.PreviewHost is { } preview ? $" or on host {preview}" : "") + $"; `slipway promote {rollout.Service}` switches traffic");
            while (!rollout.PromoteRequested())
            {
                await rollout.WhilePausedAsync().ConfigureAwait(false);
                rollout.WatchNew();
                await rollout.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
        }

        await rollout.PromoteNowAsync().ConfigureAwait(false);
    }
}
