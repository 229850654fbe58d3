using System.Text.Json.Nodes;

namespace Slipway.Server.Api.OpenApi;

/// <summary>Endpoint metadata: the JSON body the handler reads (it reads it by hand, see <see cref="JsonBody"/>).</summary>
internal sealed record ApiRequestBody(JsonObject Schema);
