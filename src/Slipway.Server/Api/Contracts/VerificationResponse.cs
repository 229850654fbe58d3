using Slipway.Backups.Catalog;

namespace Slipway.Server.Api.Contracts;

/// <summary>A backup restored into a scratch cluster and queried: when, how long, whether it held, and why not.</summary>
internal sealed record VerificationResponse(DateTimeOffset StartedAt, double DurationSeconds, bool Succeeded, string? Error, int Queries)
{
    public static VerificationResponse Of(VerificationRecord v) => new(v.StartedAt, Math.Round(v.Duration.TotalSeconds, 1), v.Succeeded, v.Error, v.Queries.Count);
}
