namespace Slipway.Backups.Catalog;

/// <summary>The outcome of restoring a backup into a scratch cluster and querying it.</summary>
internal sealed record VerificationRecord
{
    public required DateTimeOffset StartedAt { get; init; }

    public required TimeSpan Duration { get; init; }

    public required bool Succeeded { get; init; }

    /// <summary>What failed, in one line; null when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>Each verify query with the number it returned.</summary>
    public IReadOnlyList<VerifyQueryResult> Queries { get; init; } = [];
}
