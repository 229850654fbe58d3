using Microsoft.Extensions.Logging;
using Slipway.Control.Audit;
using Slipway.Control.Events;
using Slipway.Control.Rollouts;
using Slipway.Control.Runtime;
using Slipway.Control.Supervision;

namespace Slipway.Control.Autoscaling;

/// <summary>
/// What the autoscaler reads and drives, as functions so that its loop runs in tests against a manual clock and a
/// host that only counts; the daemon passes the supervisor's and the rollout controller's own methods.
/// </summary>
/// <param name="Instances">Every instance now (<see cref="Supervisor.Instances"/>).</param>
/// <param name="Revisions">A service's revisions and how many instances each has wanted (<see cref="Supervisor.Revisions"/>).</param>
/// <param name="Resize">Sets the current revision's instances (<see cref="Supervisor.ResizeAsync"/>).</param>
/// <param name="Hold">Why a rollout keeps the autoscaler out, and a canary at a step (<see cref="RolloutController.ScalingHold"/>).</param>
/// <param name="ResizeCanary">Asks a canary for a total across both revisions (<see cref="RolloutController.Resize"/>).</param>
/// <param name="Audit">Where changes of bounds are audited; null where there is no audit log.</param>
internal sealed record AutoscalerContext(
    LiveManifest Manifest,
    Func<IReadOnlyList<InstanceStatus>> Instances,
    Func<string, IReadOnlyList<RevisionState>> Revisions,
    Func<string, int, Task> Resize,
    Func<string, (string? Hold, RolloutStatus? Canary)> Hold,
    Action<string, int> ResizeCanary,
    MetricReader Reader,
    EventJournal Journal,
    AuditLog? Audit,
    TimeProvider Time,
    ILogger Logger)
{
    /// <summary>The daemon's wiring: a supervisor's instances, rollouts when it runs them.</summary>
    public static AutoscalerContext For(LiveManifest manifest, Supervisor supervisor, RolloutController? rollouts, MetricReader reader, AuditLog? audit, TimeProvider time, ILogger logger) => new(
        manifest,
        supervisor.Instances,
        supervisor.Revisions,
        (service, replicas) => supervisor.ResizeAsync(service, replicas),
        service => rollouts is null ? (null, null) : (rollouts.ScalingHold(service, out var canary), canary),
        (service, total) => rollouts?.Resize(service, total),
        reader,
        supervisor.Journal,
        audit,
        time,
        logger);
}
