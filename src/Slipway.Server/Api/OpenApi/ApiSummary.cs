namespace Slipway.Server.Api.OpenApi;

/// <summary>Endpoint metadata: the one line the OpenAPI document shows for an operation.</summary>
internal sealed record ApiSummary(string Text);
