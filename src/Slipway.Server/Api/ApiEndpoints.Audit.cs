using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Audit;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>The audit log: list and verify the chain.</summary>
internal static partial class ApiEndpoints
{
    private static void MapAudit(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/audit", (string? since) => Since.TryParse(since, api.Time, out var from, out var error)
                ? Results.Json(api.Audit.List(from), ApiJson.Options)
                : Problems.Invalid(new Dictionary<string, string[]> { ["since"] = [error!] }))
            .Role(ApiRole.Admin)
            .Summary("Audit entries, oldest first.")
            .Query("since", "Only entries from this long ago (10m) or this time (ISO-8601) on.")
            .Returns(Schemas.Array(Schemas.Of<AuditEntry>()));
        v1.MapGet("/audit/verify", (string? head) => Results.Json(api.Audit.Verify(string.IsNullOrEmpty(head) ? null : head), ApiJson.Options))
            .Role(ApiRole.Admin)
            .Summary("Walk the keyed hash chain; names the first entry that does not hold, and the head to keep elsewhere.")
            .Query("head", "The hash of an entry kept elsewhere earlier: the log must still hold that very entry.")
            .Returns(Schemas.Of<AuditVerification>());
    }
}
