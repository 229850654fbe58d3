namespace Slipway.Server.Auth;

/// <summary>Endpoint metadata: the least role that may call it. Every /api/v1 endpoint carries one.</summary>
internal sealed record RequireRole(ApiRole Role);
