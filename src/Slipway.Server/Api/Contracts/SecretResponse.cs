namespace Slipway.Server.Api.Contracts;

/// <summary>A secret as <c>GET /api/v1/secrets</c> shows it: name, when it was set, which services use it. Never its value.</summary>
internal sealed record SecretResponse(string Name, DateTimeOffset Updated, IReadOnlyList<string> UsedBy);
