using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Maintenance;
using Slipway.Core.Primitives;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Maintenance mode: requests held, then answered 503 with a page; health checks and ACME challenges pass.</summary>
internal static partial class ApiEndpoints
{
    private static void MapMaintenance(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/maintenance", () => TypedResults.Ok(MaintenanceStateResponse.Of(api.Maintenance!.Current)))
            .Role(ApiRole.Viewer)
            .WithSummary("What is in maintenance: the whole app, or services.");

        v1.MapPut("/maintenance", Results<Ok<MaintenanceResponse>, ProblemHttpResult> (RequestBody<MaintenanceRequest> body, HttpContext context) =>
            {
                if (body.Unreadable is { } unreadable)
                {
                    return unreadable;
                }

                var request = body.Value!;
                if (request.Service is { } named && !api.Manifest.Services.ContainsKey(named))
                {
                    return UnknownService(named);
                }

                var errors = new Dictionary<string, string[]>();
                var hold = TimeSpan.Zero;
                string? holdError = null;
                body.Check(errors, "hold", request.Hold is null || (DurationText.TryParse(request.Hold, out hold, out holdError) && hold <= MaintenanceWindow.MaxHold),
                    holdError ?? $"must be a duration of at most {DurationText.Format(MaintenanceWindow.MaxHold)}, such as 30s (got {request.Hold})");
                var page = request.Page ?? MaintenanceWindow.DefaultPage;
                body.Check(errors, "page", Encoding.UTF8.GetByteCount(page) <= MaintenanceWindow.MaxPageBytes, $"must be at most {MaintenanceWindow.MaxPageBytes / 1024} KB");
                var pageType = request.PageType ?? MaintenanceWindow.TextType;
                body.Check(errors, "pageType", pageType is MaintenanceWindow.TextType or MaintenanceWindow.HtmlType,
                    $"must be \"{MaintenanceWindow.TextType}\" or \"{MaintenanceWindow.HtmlType}\"");
                if (body.Invalid(errors) is { } invalid)
                {
                    return invalid;
                }

                AuditArguments.Add(context, "maintenance", "on");
                AuditArguments.Add(context, "service", request.Service ?? "(the whole app)");
                AuditArguments.Add(context, "hold", DurationText.Format(hold));
                AuditArguments.Add(context, "page", $"{Encoding.UTF8.GetByteCount(page)} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(page)))[..16]}");
                AuditIntent.Write(context, api.Audit);
                var window = api.Maintenance!.TurnOn(request.Service, hold, page, pageType, ApiPrincipal.Get(context)?.Name ?? "-");
                return TypedResults.Ok(MaintenanceResponse.Of(window));
            })
            .Role(ApiRole.Deployer)
            .WithSummary("Put the app, or one service, in maintenance.");

        v1.MapDelete("/maintenance", Results<Ok<MaintenanceOffResponse>, ProblemHttpResult> (
                [Description("Only this service's own maintenance; without it, the whole app's and every service's.")] string? service, HttpContext context) =>
            {
                if (service is not null && !api.Manifest.Services.ContainsKey(service))
                {
                    return UnknownService(service);
                }

                AuditArguments.Add(context, "maintenance", "off");
                AuditIntent.Write(context, api.Audit);
                var ended = api.Maintenance!.TurnOff(service);
                return TypedResults.Ok(new MaintenanceOffResponse(ended, api.Maintenance.Current.App is not null));
            })
            .Role(ApiRole.Deployer)
            .WithSummary("End maintenance: of one service, or without `service` of the whole app and every service.");
    }
}
