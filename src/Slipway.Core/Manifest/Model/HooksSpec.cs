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
}
