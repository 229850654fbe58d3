using Slipway.Control.State;

namespace Slipway.Server.Api.Contracts;

/// <summary>
/// One of the manifest's <c>backups:</c>: its schedules and recovery objectives, the catalog at its destination
/// (oldest first), and the outcomes of the daemon's scheduled backups, verifications and drills (the RTO and RPO
/// each drill measured are in its message).
/// </summary>
/// <param name="Problems">Catalog entries that could not be read, each naming its file.</param>
internal sealed record BackupSetResponse(
    string Name,
    string Kind,
    string Destination,
    string? Schedule,
    string? VerifySchedule,
    double? RtoObjectiveSeconds,
    double? RpoObjectiveSeconds,
    IReadOnlyList<BackupResponse> Backups,
    IReadOnlyList<EventRecord> Outcomes,
    IReadOnlyList<string> Problems);
