using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Server.Auth;

namespace Slipway.Server.Api.OpenApi;

/// <summary>
/// The API's OpenAPI 3 document, built from the mapped endpoints: path and path parameters from the route
/// pattern, methods, the role (<see cref="RequireRole"/>), and the <see cref="ApiDocs"/> metadata each endpoint
/// carries (summary, query parameters, body, responses). There is no second list to keep in step.
/// </summary>
internal static class OpenApiDocument
{
    public static JsonObject Build(IEnumerable<Endpoint> endpoints)
    {
        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (!paths.TryGetValue(path, out var item))
            {
                item = [];
                paths[path] = item;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                item[method.ToLowerInvariant()] = Operation(endpoint);
            }
        }

        var document = new JsonObject();
        foreach (var (path, item) in paths)
        {
            document[path] = item;
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = "Slipway control API", ["version"] = "v1" },
            ["paths"] = document,
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer" } },
                ["schemas"] = new JsonObject { ["Problem"] = Problem() },
            },
        };
    }

    private static JsonObject Operation(RouteEndpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        var responses = new JsonObject();
        foreach (var response in metadata.GetOrderedMetadata<ApiResponse>())
        {
            var answer = new JsonObject { ["description"] = response.Description };
            if (response.Schema is { } schema)
            {
                answer["content"] = new JsonObject { [response.ContentType] = new JsonObject { ["schema"] = schema.DeepClone() } };
            }

            responses[response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = answer;
        }

        responses["default"] = new JsonObject
        {
            ["description"] = "An RFC 9457 problem",
            ["content"] = new JsonObject { [Problems.ContentType] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
        };

        var parameters = new JsonArray();
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            parameters.Add(new JsonObject { ["name"] = parameter.Name, ["in"] = "path", ["required"] = true, ["schema"] = Schemas.String() });
        }

        foreach (var query in metadata.GetOrderedMetadata<ApiQueryParameter>())
        {
            parameters.Add(new JsonObject { ["name"] = query.Name, ["in"] = "query", ["description"] = query.Description, ["schema"] = query.Schema.DeepClone() });
        }

        var operation = new JsonObject { ["summary"] = metadata.GetMetadata<ApiSummary>()?.Text ?? "" };
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (metadata.GetMetadata<ApiRequestBody>() is { } body)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { [ApiDocs.Json] = new JsonObject { ["schema"] = body.Schema.DeepClone() } },
            };
        }

        operation["responses"] = responses;
        if (metadata.GetMetadata<RequireRole>() is { } role)
        {
            operation["x-slipway-role"] = ApiRoles.Name(role.Role);
        }
        else
        {
            operation["security"] = new JsonArray();
        }

        return operation;
    }

    private static JsonObject Problem() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["type"] = Schemas.String(),
            ["title"] = Schemas.String(),
            ["status"] = Schemas.Integer(),
            ["detail"] = Schemas.String(),
            ["errors"] = Schemas.Map(Schemas.Array(Schemas.String())),
        },
    };
}
