namespace Slipway.Server.Api.Contracts;

/// <summary><c>POST /api/v1/session</c>: sign in to the dashboard with an API token.</summary>
/// <param name="Token">Required: a token from <c>slipway token create</c> (or the admin token).</param>
internal sealed record SessionRequest(string? Token);
