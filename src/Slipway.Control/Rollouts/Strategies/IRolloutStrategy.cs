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

    /// <summary>False for a return to a version that ran before: its migration ran, and it must not wait on a hook or a smoke check.</summary>
    bool RunsHooks { get; }

    /// <summary>True where <c>slipway promote</c> applies; false where the rollout promotes itself once every new instance is ready.</summary>
    bool PromotedByCommand { get; }

    /// <summary>True where old and new serve side by side while new instances become ready, so analysis runs meanwhile.</summary>
    bool AnalysesWhileWaiting { get; }

    /// <summary>True where the old set stays running after promotion (<c>scaleDownDelay</c>) for an instant rollback.</summary>
    bool KeepsOldSetWarm { get; }

    /// <summary>How many steps the rollout shows (<c>step 2/3</c>); 0 where it has none to show.</summary>
    int Steps(DeploySpec deploy);

    /// <summary>Brings the new revision in, ending with <see cref="Rollout.PromoteNowAsync"/>; ends the rollout by throwing <see cref="RolloutEndedException"/>.</summary>
    Task RunAsync(Rollout rollout);
}
