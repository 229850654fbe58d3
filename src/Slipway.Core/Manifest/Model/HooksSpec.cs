namespace Slipway.Core.Manifest.Model;

/// <summary>Commands and checks around a deploy.</summary>
internal sealed record HooksSpec
{
    /// <summary>Runs before any new instance takes traffic, e.g. a migration; failure aborts the deploy.</summary>
    public HookCommand? Before { get; init; }

    /// <summary>A backup (from <c>backups:</c>) taken before the <see cref="Before"/> hook.</summary>
    public string? BackupFirst { get; init; }

    /// <summary>HTTP checks sent only to the new revision before it takes user traffic: <c>GET /health</c>.</summary>
    public IReadOnlyList<SmokeCheck> Smoke { get; init; } = [];

    /// <summary>Runs after promotion.</summary>
    public HookCommand? After { get; init; }

    /// <summary>
    /// Runs when a revision is undone (a down migration): its rollout rolled back, aborted or failed after its
    /// <see cref="Before"/> hook passed, or <c>slipway rollback</c> away from it. It runs once traffic is back on the
    /// earlier revision, so its failure is reported and never holds the switch back.
    /// </summary>
    public HookCommand? Rollback { get; init; }
}
