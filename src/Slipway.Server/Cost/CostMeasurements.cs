namespace Slipway.Server.Cost;

/// <summary>What the running daemon measured that cost estimates use; the answer of <c>GET /api/v1/cost/measurements</c>.</summary>
/// <param name="WindowSeconds">The span request rates and sizes are averaged over.</param>
/// <param name="StateBytes">The state directory without its logs.</param>
internal sealed record CostMeasurements(double WindowSeconds, long StateBytes, long LogBytes, IReadOnlyList<ServiceMeasurement> Services, IReadOnlyList<BackupMeasurement> Backups);
