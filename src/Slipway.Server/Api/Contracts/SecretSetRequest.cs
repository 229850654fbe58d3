namespace Slipway.Server.Api.Contracts;

/// <summary><c>PUT /api/v1/secrets/NAME</c>: the value, which only this body and the secret store ever hold.</summary>
internal sealed record SecretSetRequest(string? Value);
