namespace Slipway.Server.Api.Contracts;

/// <summary>A revision's traffic over time, one point per step, oldest first.</summary>
internal sealed record RevisionMetricsResponse(string Revision, IReadOnlyList<MetricsPointResponse> Points);
