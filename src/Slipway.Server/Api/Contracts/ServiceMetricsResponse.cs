namespace Slipway.Server.Api.Contracts;

/// <summary><c>GET /api/v1/services/NAME/metrics</c>: the proxy's request metrics of each revision that had traffic, per step.</summary>
internal sealed record ServiceMetricsResponse(string Service, DateTimeOffset From, DateTimeOffset To, double StepSeconds, IReadOnlyList<RevisionMetricsResponse> Revisions);
