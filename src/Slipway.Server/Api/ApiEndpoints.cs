using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Control.Telemetry;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Maps <c>/api/v1</c>. Each endpoint states the least role that may call it; the auth middleware enforces it.</summary>
internal static partial class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ApiContext api, CancellationToken stopping)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok\n"))
            .WithSummary("Liveness of the daemon; the only call without a token.").ProducesText();
        app.MapGet("/metrics", () => TypedResults.Text(api.Exposition.Write(), MetricsWriter.ContentType))
            .Role(ApiRole.Viewer)
            .WithSummary("Prometheus text format 0.0.4: requests, instances, scraped application metrics (docs/operations.md#metrics).")
            .ProducesText();
        var v1 = app.MapGroup("/api/v1");
        v1.MapGet("/openapi.json", async ([FromKeyedServices(ApiDocument.Name)] IOpenApiDocumentProvider document, CancellationToken cancellationToken) =>
                TypedResults.Text(await ApiDocument.WriteAsync(document, cancellationToken).ConfigureAwait(false), ApiContentTypes.Json))
            .Role(ApiRole.Viewer)
            .WithSummary("This document, generated from the mapped endpoints.")
            .Produces<System.Text.Json.Nodes.JsonObject>();
        MapServices(v1, api);
        MapRollouts(v1, api);
        MapApply(v1, api);
        MapEvents(v1, api, stopping);
        MapLogs(v1, api, stopping);
        MapSecrets(v1, api);
        MapTokens(v1, api);
        MapAudit(v1, api);
        MapAlerts(v1, api);
        MapMetrics(v1, api);
        MapBackups(v1, api);
        MapJobs(v1, api);
        MapMaintenance(v1, api);
        MapPreflight(v1, api);
        MapCost(v1, api);
        MapCerts(v1, api);
    }

    private static RouteHandlerBuilder Role(this RouteHandlerBuilder builder, ApiRole role) => builder.WithMetadata(new RequireRole(role));

    private static ProblemHttpResult UnknownService(string name) => Problems.NotFound($"there is no service named {name} in this app");
}
