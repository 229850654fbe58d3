using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api.OpenApi;

/// <summary>
/// <c>x-slipway-role</c>: the least role that may call the operation (<see cref="RequireRole"/>). An operation without
/// one (<c>/healthz</c>) needs no token, which an empty <c>security</c> says.
/// </summary>
internal sealed class RoleOperationTransformer : IOpenApiOperationTransformer
{
    public const string Extension = "x-slipway-role";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequireRole>().LastOrDefault() is { } role)
        {
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions[Extension] = new JsonNodeExtension(JsonValue.Create(ApiRoles.Name(role.Role)));
        }
        else
        {
            operation.Security = [];
        }

        return Task.CompletedTask;
    }
}
