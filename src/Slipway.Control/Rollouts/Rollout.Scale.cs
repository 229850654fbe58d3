using Slipway.Control.Runtime;

namespace Slipway.Control.Rollouts;

/// <summary>The autoscaler during a canary: both revisions scaled in proportion to their weights.</summary>
internal sealed partial class Rollout
{
    /// <summary>
    /// Asks for <paramref name="total"/> instances across both revisions. The rollout's own loop carries it out at its
    /// next look during a canary step (<see cref="ApplyResizeAsync"/>), so it never races the strategy's own scaling.
    /// </summary>
    public void Resize(int total) => Signal(() => _resizeTo = Math.Max(1, total));

    /// <summary>
    /// Carries out a <see cref="Resize"/>: the new revision gets its weight's share (at least one), stable the rest
    /// (at least one, the way back), and the new revision ends with the total at promotion.
    /// </summary>
    public async Task ApplyResizeAsync()
    {
        int total;
        int weight;
        lock (_lock)
        {
            if (_resizeTo is not { } wanted || _phase is not (RolloutPhase.Canary or RolloutPhase.AwaitingVerdict))
            {
                return;
            }

            total = wanted;
            _resizeTo = null;
            _replicas = total;
            weight = _weights.GetValueOrDefault(Revision);
        }

        var (stable, canary) = Split(total, weight);
        await Host.ScaleRevisionAsync(Service, Revision, canary).ConfigureAwait(false);
        await Host.ScaleRevisionAsync(Service, StableRevision, stable).ConfigureAwait(false);
    }

    /// <summary>A total split by the new revision's weight: each side rounded up, neither below one.</summary>
    public static (int Stable, int Canary) Split(int total, int weight) =>
        (Math.Max(1, (int)Math.Ceiling(total * (100 - weight) / 100.0)), Math.Clamp((int)Math.Ceiling(total * weight / 100.0), 1, total));
}
