using System.Text.Json.Nodes;

namespace Slipway.Server.Api.OpenApi;

/// <summary>
/// Endpoint metadata: an answer on success. <paramref name="Schema"/> is the body (for <c>text/event-stream</c>,
/// each event's <c>data:</c>); null for no body.
/// </summary>
internal sealed record ApiResponse(int Status, string ContentType, JsonObject? Schema, string Description);
