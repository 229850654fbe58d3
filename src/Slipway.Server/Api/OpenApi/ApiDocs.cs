using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Slipway.Server.Api.OpenApi;

/// <summary>
/// How an endpoint describes itself, next to where it is mapped: <c>.Summary(...).Query(...).Returns(...)</c>.
/// <see cref="OpenApiDocument"/> is built from this metadata alone, so mapping an endpoint with it is all it takes.
/// </summary>
internal static class ApiDocs
{
    public const string Json = "application/json";

    public const string EventStream = "text/event-stream";

    public static TBuilder Summary<TBuilder>(this TBuilder builder, string text)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiSummary(text));

    public static TBuilder Query<TBuilder>(this TBuilder builder, string name, JsonObject schema, string description)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiQueryParameter(name, schema, description));

    /// <summary>A string <c>?name=</c>.</summary>
    public static TBuilder Query<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder => builder.Query(name, Schemas.String(), description);

    public static TBuilder Accepts<TBuilder>(this TBuilder builder, JsonObject schema)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiRequestBody(schema));

    public static TBuilder Returns<TBuilder>(this TBuilder builder, JsonObject schema, int status = StatusCodes.Status200OK, string description = "OK")
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiResponse(status, Json, schema, description));

    public static TBuilder ReturnsNothing<TBuilder>(this TBuilder builder, int status = StatusCodes.Status204NoContent)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiResponse(status, "", null, "Done; no body."));

    /// <summary>Server-sent events, each <c>data:</c> one JSON value of <paramref name="item"/>.</summary>
    public static TBuilder ReturnsEvents<TBuilder>(this TBuilder builder, JsonObject item)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiResponse(StatusCodes.Status200OK, EventStream, item, "Server-sent events; each data: is one JSON value."));

    public static TBuilder ReturnsText<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiResponse(StatusCodes.Status200OK, "text/plain", Schemas.String(), "OK"));
}
