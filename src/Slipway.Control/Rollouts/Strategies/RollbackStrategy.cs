using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Rollouts.Strategies;

/// <summary>
/// <c>slipway rollback</c> to a revision no longer running: a blue-green switch started afresh, without hooks or
/// smoke checks (the version ran before), promoted as soon as it is ready, the old set not kept. A stateful service
/// never runs two instances, so it goes back stop-then-start, as its deploys do.
/// </summary>
internal sealed class RollbackStrategy : IRolloutStrategy
{
    public RolloutStrategy Name => RolloutStrategy.Rollback;

    public StrategyTraits Traits { get; } = new(RunsHooks: false, PromotedByCommand: false, AnalysesWhileWaiting: false, KeepsOldSetWarm: false);

    public int Steps(DeploySpec deploy) => 0;

    public Task RunAsync(Rollout rollout) => rollout.Spec.Stateful
        ? new RollingStrategy().RunAsync(rollout)
        : BlueGreenStrategy.RunAsync(rollout, waitForPromotion: false);
}
