using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Maintenance;
using Slipway.Core.Primitives;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Maintenance mode: requests held, then answered 503 with a page; health checks and ACME challenges pass.</summary>
internal static partial class ApiEndpoints
{
    private static void MapMaintenance(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/maintenance", () => Results.Json(MaintenanceView(api.Maintenance!.Current), ApiJson.Options))
            .Role(ApiRole.Viewer)
            .Summary("What is in maintenance: the whole app, or services.")
            .Returns(Schemas.Object(("app", Schemas.Nullable(MaintenanceSchema)), ("services", Schemas.Array(MaintenanceSchema))));

        v1.MapPut("/maintenance", async (HttpContext context) =>
            {
                var (body, problem) = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
                if (problem is not null)
                {
                    return problem;
                }

                var service = JsonBody.String(body, "service");
                if (service is not null && !api.Manifest.Services.ContainsKey(service))
                {
                    return UnknownService(service);
                }

                var errors = new Dictionary<string, string[]>();
                var hold = TimeSpan.Zero;
                if (JsonBody.String(body, "hold") is { } holdText
                    && (!DurationText.TryParse(holdText, out hold, out var holdError) || hold > MaintenanceWindow.MaxHold))
                {
                    errors["hold"] = [holdError ?? $"must be at most {DurationText.Format(MaintenanceWindow.MaxHold)} (got {holdText})"];
                }

                var page = JsonBody.String(body, "page") ?? MaintenanceWindow.DefaultPage;
                if (Encoding.UTF8.GetByteCount(page) > MaintenanceWindow.MaxPageBytes)
                {
                    errors["page"] = [$"must be at most {MaintenanceWindow.MaxPageBytes / 1024} KB"];
                }

                var pageType = JsonBody.String(body, "pageType") ?? MaintenanceWindow.TextType;
                if (pageType is not (MaintenanceWindow.TextType or MaintenanceWindow.HtmlType))
                {
                    errors["pageType"] = [$"must be \"{MaintenanceWindow.TextType}\" or \"{MaintenanceWindow.HtmlType}\""];
                }

                if (errors.Count > 0)
                {
                    return Problems.Invalid(errors);
                }

                AuditArguments.Add(context, "maintenance", "on");
                AuditArguments.Add(context, "service", service ?? "(the whole app)");
                AuditArguments.Add(context, "hold", DurationText.Format(hold));
                AuditArguments.Add(context, "page", $"{Encoding.UTF8.GetByteCount(page)} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(page)))[..16]}");
                var window = api.Maintenance!.TurnOn(service, hold, page, pageType, ApiPrincipal.Get(context)?.Name ?? "-");
                return Results.Json(View(window), ApiJson.Options);
            })
            .Role(ApiRole.Deployer)
            .Summary("Put the app, or one service, in maintenance.")
            .Accepts(Schemas.Object(("service", Schemas.Nullable(Schemas.String())), ("hold", Schemas.String()), ("page", Schemas.String()), ("pageType", Schemas.String())))
            .Returns(MaintenanceSchema);

        v1.MapDelete("/maintenance", (string? service, HttpContext context) =>
            {
                if (service is not null && !api.Manifest.Services.ContainsKey(service))
                {
                    return UnknownService(service);
                }

                AuditArguments.Add(context, "maintenance", "off");
                var ended = api.Maintenance!.TurnOff(service);
                return Results.Json(new { ended, app = api.Maintenance.Current.App is not null }, ApiJson.Options);
            })
            .Role(ApiRole.Deployer)
            .Summary("End maintenance: of one service, or without `service` of the whole app and every service.")
            .Query("service", "Only this service's own maintenance.")
            .Returns(Schemas.Object(("ended", Schemas.Boolean()), ("app", Schemas.Boolean())));
    }

    private static JsonObject MaintenanceSchema => Schemas.Object(
        ("service", Schemas.Nullable(Schemas.String())),
        ("hold", Schemas.String()),
        ("pageType", Schemas.String()),
        ("pageBytes", Schemas.Integer()),
        ("since", Schemas.DateTime()),
        ("by", Schemas.String()));

    private static object MaintenanceView(MaintenanceState state) => new
    {
        app = state.App is { } app ? View(app) : null,
        services = state.Services.Values.OrderBy(w => w.Service, StringComparer.Ordinal).Select(View),
    };

    private static object View(MaintenanceWindow window) => new
    {
        service = window.Service,
        hold = DurationText.Format(window.Hold),
        pageType = window.PageType,
        pageBytes = Encoding.UTF8.GetByteCount(window.Page),
        since = window.Since,
        by = window.By,
    };
}
