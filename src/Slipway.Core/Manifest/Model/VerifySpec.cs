using Slipway.Core.Scheduling;

namespace Slipway.Core.Manifest.Model;

/// <summary>How backups are proven: restored into a scratch database and queried.</summary>
internal sealed record VerifySpec
{
    /// <summary>When to verify the newest backup by itself, e.g. <c>0 4 * * 0</c>.</summary>
    public CronExpression? Schedule { get; init; }

    /// <summary>Queries that must return a number greater than 0 on the restored copy.</summary>
    public IReadOnlyList<string> Queries { get; init; } = [];
}
