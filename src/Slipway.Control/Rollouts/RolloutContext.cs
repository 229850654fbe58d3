using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Control.Secrets;
using Slipway.Control.State;
using Slipway.Control.Telemetry;
using Slipway.Core.Backups;
using Slipway.Core.Processes;

namespace Slipway.Control.Rollouts;

/// <summary>What every rollout shares; built once by the daemon.</summary>
internal sealed record RolloutContext(
    IRevisionHost Host,
    ITrafficControl Traffic,
    EventJournal Journal,
    StateStore Store,
    RequestMetricsStore Metrics,
    TimeProvider Time,
    ProcessRunner Runner,
    SmokeChecker Smoke,
    string ManifestDirectory)
{
    /// <summary>How often readiness is looked at while waiting for new instances.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>What services serve on <c>metrics.path</c>, for <c>deploy.analysis.metrics</c>; null leaves those checks out.</summary>
    public ApplicationMetricsStore? Applications { get; init; }

    /// <summary>Takes the backups that <c>hooks.backupFirst</c> names; null where none can be taken (a deploy that asks for one then fails).</summary>
    public IDeployBackup? Backups { get; init; }

    /// <summary>Where hooks find the values of a service's <c>run.secrets</c>; without one, a hook of a service that names a secret fails.</summary>
    public ISecretSource? Secrets { get; init; }

    /// <summary>Fills <c>${STATE_DIR}</c> in hooks; null leaves variables that use it out.</summary>
    public string? StateDirectory { get; init; }
}
