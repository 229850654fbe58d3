using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Audit;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>The audit log: list and verify the chain.</summary>
internal static partial class ApiEndpoints
{
    private static void MapAudit(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/audit", Results<Ok<IReadOnlyList<AuditEntry>>, ProblemHttpResult> (
                [Description("Only entries from this long ago (10m) or this time (ISO-8601) on.")] string? since) =>
                Since.TryParse(since, api.Time, out var from, out var error)
                    ? TypedResults.Ok(api.Audit.List(from))
                    : Problems.Invalid(new Dictionary<string, string[]> { ["since"] = [error!] }))
            .Role(ApiRole.Admin)
            .WithSummary("Audit entries, oldest first.");
        v1.MapGet("/audit/verify", (
                [Description("The hash of an entry kept elsewhere earlier: the log must still hold that very entry.")] string? head) =>
                TypedResults.Ok(api.Audit.Verify(string.IsNullOrEmpty(head) ? null : head)))
            .Role(ApiRole.Admin)
            .WithSummary("Walk the keyed hash chain; names the first entry that does not hold, and the head to keep elsewhere.");
    }
}
