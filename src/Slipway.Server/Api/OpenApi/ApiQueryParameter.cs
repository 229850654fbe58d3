using System.Text.Json.Nodes;

namespace Slipway.Server.Api.OpenApi;

/// <summary>Endpoint metadata: a <c>?name=</c> the handler reads. A test checks these against the handler's parameters.</summary>
internal sealed record ApiQueryParameter(string Name, JsonObject Schema, string Description);
