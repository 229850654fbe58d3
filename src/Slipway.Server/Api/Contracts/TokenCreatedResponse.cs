using Slipway.Server.Auth;

namespace Slipway.Server.Api.Contracts;

/// <summary>A token issued: the only answer that ever holds <see cref="Token"/>.</summary>
internal sealed record TokenCreatedResponse(string Name, ApiRole Role, string Token);
