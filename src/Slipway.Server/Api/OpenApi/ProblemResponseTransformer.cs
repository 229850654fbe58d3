using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Slipway.Server.Api.OpenApi;

/// <summary>Every operation's <c>default</c> answer: an RFC 9457 problem, with <c>errors</c> per field for a 400.</summary>
internal sealed class ProblemResponseTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(HttpValidationProblemDetails), cancellationToken: cancellationToken).ConfigureAwait(false);
        operation.Responses ??= [];
        operation.Responses["default"] = new OpenApiResponse
        {
            Description = "An RFC 9457 problem",
            Content = new Dictionary<string, OpenApiMediaType> { [Problems.ContentType] = new() { Schema = schema } },
        };
    }
}
