namespace Slipway.Server.Api.Contracts;

/// <summary><c>POST /api/v1/tokens</c>.</summary>
/// <param name="Name">Who the token is for: lower-case letters, digits, '.', '_' or '-', at most 63 characters.</param>
/// <param name="Role">viewer, deployer or admin.</param>
internal sealed record TokenCreateRequest(string? Name, string? Role);
