using Slipway.Server.Auth;

namespace Slipway.Server.Api.Contracts;

/// <summary>A token as <c>GET /api/v1/tokens</c> lists it. Never the token.</summary>
internal sealed record TokenResponse(string Name, ApiRole Role, DateTimeOffset Created);
