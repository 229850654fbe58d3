using Slipway.Backups.Catalog;

namespace Slipway.Backups.Drills;

/// <summary>
/// What a disaster-recovery drill measured: how long until the restored copy answered its verify queries (RTO)
/// and how much committed work it lacks compared with the source (RPO), against the manifest's objectives.
/// </summary>
internal sealed record DrillReport
{
    public required string BackupId { get; init; }

    public required string Kind { get; init; }

    /// <summary>From the start of the restore to the last verify query answering: the time to a usable database.</summary>
    public required TimeSpan Rto { get; init; }

    /// <summary>Source's newest commit minus the restored copy's newest; null when it could not be measured.</summary>
    public TimeSpan? Rpo { get; init; }

    /// <summary>How <see cref="Rpo"/> was measured, for the operator to judge it.</summary>
    public string RpoBasis { get; init; } = "";

    public DateTimeOffset? SourceNewest { get; init; }

    public DateTimeOffset? RecoveredNewest { get; init; }

    public TimeSpan? RtoObjective { get; init; }

    public TimeSpan? RpoObjective { get; init; }

    public IReadOnlyList<VerifyQueryResult> Queries { get; init; } = [];

    /// <summary>Why the restore or a verify query failed; null when the copy came up and answered.</summary>
    public string? Error { get; init; }

    public bool RtoMet => Error is null && (RtoObjective is not { } objective || Rto <= objective);

    /// <summary>An RPO that could not be measured does not meet an objective: a drill proves, it does not assume.</summary>
    public bool RpoMet => Error is null && (RpoObjective is not { } objective || (Rpo is { } rpo && rpo <= objective));

    public bool Passed => Error is null && RtoMet && RpoMet;

    /// <summary>The data lost had the source died when the drill began: never negative (the archive may be newer than that moment).</summary>
    public static TimeSpan? DataLoss(DateTimeOffset? sourceNewest, DateTimeOffset? recoveredNewest) =>
        sourceNewest is { } source && recoveredNewest is { } recovered
            ? source > recovered ? source - recovered : TimeSpan.Zero
            : null;
}
