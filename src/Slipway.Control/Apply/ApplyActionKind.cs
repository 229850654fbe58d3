namespace Slipway.Control.Apply;

/// <summary>What <c>slipway apply</c> does about one change.</summary>
internal enum ApplyActionKind
{
    /// <summary>A new service: its first revision is started (or its upstream watched).</summary>
    Start,

    /// <summary>A service gone from the manifest: routes removed, instances drained and stopped.</summary>
    Stop,

    /// <summary>What the instances run changed: a new revision, rolled out with the service's strategy.</summary>
    Deploy,

    /// <summary>Only <c>replicas</c> changed: the current revision is scaled.</summary>
    Scale,

    /// <summary>Service-wide settings (routes, balancing, retries, deploy, upstream endpoints): in effect at once.</summary>
    Update,

    /// <summary>Cannot change while the daemon runs (listeners, scraping, alerts, backups): kept as they are until the next <c>slipway up</c>.</summary>
    NeedsRestart,
}
