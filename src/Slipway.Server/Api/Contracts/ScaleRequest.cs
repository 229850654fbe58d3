namespace Slipway.Server.Api.Contracts;

/// <summary><c>POST /api/v1/services/NAME/scale</c>.</summary>
/// <param name="Replicas">0 to 1000; required.</param>
internal sealed record ScaleRequest(int? Replicas);
