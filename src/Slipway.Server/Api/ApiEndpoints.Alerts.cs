using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Alerts;
using Slipway.Core.Alerting;
using Slipway.Core.Primitives;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Alerts (pending and firing) and silences.</summary>
internal static partial class ApiEndpoints
{
    private static void MapAlerts(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/alerts", () => TypedResults.Ok<IReadOnlyList<AlertResponse>>([.. (api.Alerts?.Current ?? [])
                .Select(a => AlertResponse.Of(a, a.State == AlertState.Firing ? api.Notifications?.Muted(a) : null))]))
            .Role(ApiRole.Viewer)
            .WithSummary("Pending and firing alerts with labels, annotations, value, since when, and what mutes them.");

        v1.MapGet("/silences", () => TypedResults.Ok<IReadOnlyList<SilenceResponse>>([.. (api.Notifications?.Silences.List() ?? []).Select(SilenceResponse.Of)]))
            .Role(ApiRole.Viewer)
            .WithSummary("Silences that have not ended.");

        v1.MapPost("/silences", Results<Created<SilenceResponse>, ProblemHttpResult> (RequestBody<SilenceRequest> body, HttpContext context) =>
            {
                if (body.Unreadable is { } unreadable)
                {
                    return unreadable;
                }

                var request = body.Value!;
                var errors = new Dictionary<string, string[]>();
                var texts = request.Matchers ?? [];
                var matchers = texts.Select(LabelMatcher.Parse).ToList();
                var wrong = texts.LastOrDefault(t => LabelMatcher.Parse(t) is null) ?? body.WrongType("matchers");
                body.Check(errors, "matchers", matchers.Count > 0 && matchers.All(m => m is not null), wrong is not null && (texts.Count > 0 || wrong.StartsWith('['))
                    ? $"each must be LABEL=VALUE or LABEL!=VALUE with a label of letters, digits and '_' (got {wrong})"
                    : "is required: a list such as [\"service=api\", \"severity!=info\"]");
                var duration = TimeSpan.Zero;
                string? durationError = null;
                body.Check(errors, "for", request.For is not null && DurationText.TryParse(request.For, out duration, out durationError) && duration > TimeSpan.Zero,
                    request.For is null ? "is required: how long, such as 30m or 2h" : durationError ?? "must be longer than 0");
                if (api.Notifications is null)
                {
                    return Problems.Result(StatusCodes.Status409Conflict, "this app has no alerts.receivers, so there is nothing to silence");
                }

                if (body.Invalid(errors) is { } invalid)
                {
                    return invalid;
                }

                var by = ApiPrincipal.Get(context)?.Name ?? "-";
                var comment = request.Comment ?? "";
                AuditArguments.Add(context, "matchers", string.Join(", ", matchers));
                AuditArguments.Add(context, "for", request.For!);
                AuditArguments.Add(context, "comment", comment);
                AuditIntent.Write(context, api.Audit);
                var silence = api.Notifications.Silences.Add([.. matchers.OfType<LabelMatcher>()], duration, by, comment);
                AuditArguments.Add(context, "id", silence.Id);
                AuditArguments.Add(context, "endsAt", silence.EndsAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                return TypedResults.Created((string?)null, SilenceResponse.Of(silence));
            })
            .Role(ApiRole.Deployer)
            .WithSummary("Mute matching alerts for a while.");

        v1.MapDelete("/silences/{id}", Results<NoContent, ProblemHttpResult> (string id, HttpContext context) =>
            {
                AuditIntent.Write(context, api.Audit);
                return api.Notifications?.Silences.Remove(id) == true ? TypedResults.NoContent() : Problems.NotFound($"there is no active silence with id {id}");
            })
            .Role(ApiRole.Deployer)
            .WithSummary("End a silence now.");
    }
}
