using Slipway.Backups.Catalog;

namespace Slipway.Server.Api.Contracts;

/// <summary>One backup in a destination's catalog: when, how long, how big, whether it failed, and its latest verification.</summary>
/// <param name="Bytes">What it occupies at the destination (every file of it).</param>
/// <param name="CopyError">Why its copy to the second destination (<c>copyTo</c>) failed the last time it was tried; null when copied or without one.</param>
internal sealed record BackupResponse(
    string Id,
    BackupStatus Status,
    DateTimeOffset StartedAt,
    double DurationSeconds,
    long Bytes,
    string? Error,
    VerificationResponse? Verification,
    string? CopyError)
{
    public static BackupResponse Of(BackupRecord r) => new(
        r.Id, r.Status, r.StartedAt, Math.Round(r.Duration.TotalSeconds, 1), r.Files.Sum(f => f.Bytes), r.Error,
        r.Verification is { } v ? VerificationResponse.Of(v) : null, r.Copy?.Error);
}
