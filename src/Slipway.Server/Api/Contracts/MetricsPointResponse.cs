namespace Slipway.Server.Api.Contracts;

/// <summary>One step of a revision's traffic: requests per second, the share answered 5xx, and latency quantiles in milliseconds.</summary>
/// <param name="Time">The end of the step.</param>
/// <param name="P50Ms">Null when the step had no request, as are <see cref="P95Ms"/> and <see cref="P99Ms"/>.</param>
internal sealed record MetricsPointResponse(DateTimeOffset Time, double RequestsPerSecond, double ErrorRate, double? P50Ms, double? P95Ms, double? P99Ms);
