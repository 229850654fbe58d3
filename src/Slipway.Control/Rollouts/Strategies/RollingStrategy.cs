using System.Globalization;
using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;

namespace Slipway.Control.Rollouts.Strategies;

/// <summary>
/// Instance by instance: at most <c>maxSurge</c> extra instances, at least replicas − <c>maxUnavailable</c>
/// ready at all times; traffic follows the ready instances, and an old one drains only once a new one is ready.
/// </summary>
internal sealed class RollingStrategy : IRolloutStrategy
{
    public RolloutStrategy Name => RolloutStrategy.Rolling;

    public StrategyTraits Traits { get; } = new(RunsHooks: true, PromotedByCommand: false, AnalysesWhileWaiting: true, KeepsOldSetWarm: false);

    public int Steps(DeploySpec deploy) => 0;

    public async Task RunAsync(Rollout rollout)
    {
        var deploy = rollout.Deploy;
        var n = rollout.Replicas;
        var surge = CountOf(deploy.MaxSurge, n, roundUp: true);
        var unavailable = CountOf(deploy.MaxUnavailable, n, roundUp: false);
        if (surge == 0 && unavailable == 0)
        {
            surge = 1;
        }

        var oldCount = n;
        var newCount = 0;
        var smoked = false;
        var step = 0;
        while (true)
        {
            await rollout.WhilePausedAsync().ConfigureAwait(false);
            var readyNew = rollout.Ready(rollout.Revision);
            var removable = Math.Min(oldCount, readyNew + oldCount - (n - unavailable));
            if (removable > 0 && (smoked || readyNew == 0))
            {
                oldCount -= removable;
                rollout.SetWeights(oldCount, readyNew);
                rollout.SetPhase(RolloutPhase.Rolling, ++step);
                rollout.Record(EventKinds.RolloutStep, $"step {step.ToString(CultureInfo.InvariantCulture)}: new {readyNew}/{n} ready, old {oldCount}/{n}; draining {removable} old");
                await rollout.Host.ScaleRevisionAsync(rollout.Service, rollout.StableRevision, oldCount).ConfigureAwait(false);
            }

            if (oldCount == 0 && readyNew >= n)
            {
                break;
            }

            var targetNew = Math.Min(n, n + surge - oldCount);
            if (targetNew > newCount)
            {
                if (newCount == 0)
                {
                    await rollout.Host.StartRevisionAsync(rollout.Service, rollout.Revision, rollout.Version, targetNew).ConfigureAwait(false);
                }
                else
                {
                    await rollout.Host.ScaleRevisionAsync(rollout.Service, rollout.Revision, targetNew).ConfigureAwait(false);
                }

                newCount = targetNew;
            }

            rollout.SetPhase(RolloutPhase.WaitingReady);
            await rollout.WaitReadyAsync(newCount).ConfigureAwait(false);
            await rollout.SmokeAsync().ConfigureAwait(false);
            smoked = true;

            rollout.SetWeights(oldCount, rollout.Ready(rollout.Revision));
        }

        await rollout.PromoteNowAsync().ConfigureAwait(false);
    }

    /// <summary><c>2</c> or <c>25%</c> of <paramref name="replicas"/>; a share rounds up for surge, down for unavailability.</summary>
    internal static int CountOf(string value, int replicas, bool roundUp)
    {
        var text = value.Trim();
        if (text.EndsWith('%') && Percentage.TryParse(text, out var share, out _))
        {
            var exact = replicas * share.Value / 100.0;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }
}
