using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Slipway.Server.Api.OpenApi;

/// <summary>Every operation takes a bearer token unless <see cref="RoleOperationTransformer"/> says it needs none.</summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public const string Scheme = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = Scheme };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] }];
        return Task.CompletedTask;
    }
}
