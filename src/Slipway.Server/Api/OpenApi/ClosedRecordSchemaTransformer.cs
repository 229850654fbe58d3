using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Slipway.Server.Api.OpenApi;

/// <summary>
/// An answer's schema lists every property as required and no others: the API writes each property, null or not, and
/// nothing else. That is what lets a client (and <c>OpenApiTests</c>) hold an answer to its schema. A request
/// (<c>*Request</c>) stays open: its fields have defaults, and fields the server does not read are ignored.
/// </summary>
internal sealed class ClosedRecordSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var info = context.JsonTypeInfo;
        if (context.JsonPropertyInfo is null && info.Kind == JsonTypeInfoKind.Object && info.Type.Namespace?.StartsWith("Slipway.", StringComparison.Ordinal) == true
            && !info.Type.Name.EndsWith("Request", StringComparison.Ordinal) && schema.Properties is { Count: > 0 } properties)
        {
            schema.Required = new HashSet<string>(properties.Keys, StringComparer.Ordinal);
            schema.AdditionalPropertiesAllowed = false;
        }

        return Task.CompletedTask;
    }
}
