using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Rollouts.Strategies;

/// <summary>
/// One way a new revision comes in beside the stable one. <see cref="Rollout"/> does what every strategy shares
/// (hooks, readiness, smoke checks, analysis, promotion, the way back); a strategy decides the steps between.
/// </summary>
internal interface IRolloutStrategy
{
    RolloutStrategy Name { get; }

    StrategyTraits Traits { get; }

    /// <summary>How many steps the rollout shows (<c>step 2/3</c>); 0 where it has none to show.</summary>
    int Steps(DeploySpec deploy);

    /// <summary>Brings the new revision in, ending with <see cref="Rollout.PromoteNowAsync"/>; ends the rollout by throwing <see cref="RolloutEndedException"/>.</summary>
    Task RunAsync(Rollout rollout);
}
