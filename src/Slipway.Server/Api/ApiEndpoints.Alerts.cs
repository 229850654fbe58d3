using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Alerts;
using Slipway.Control.Notifications;
using Slipway.Core.Alerting;
using Slipway.Core.Primitives;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Alerts (pending and firing) and silences.</summary>
internal static partial class ApiEndpoints
{
    private static void MapAlerts(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/alerts", () => Results.Json((api.Alerts?.Current ?? []).Select(a => new
            {
                name = a.Name,
                state = a.State,
                severity = a.Severity,
                labels = a.Labels,
                annotations = a.Annotations,
                value = a.Value,
                activeAt = a.ActiveAt,
                firedAt = a.FiredAt,
                muted = a.State == AlertState.Firing ? api.Notifications?.Muted(a) : null,
            }), ApiJson.Options))
            .Role(ApiRole.Viewer)
            .Summary("Pending and firing alerts with labels, annotations, value, since when, and what mutes them.")
            .Returns(Schemas.Array(Schemas.Object(
                ("name", Schemas.String()),
                ("state", Schemas.String()),
                ("severity", Schemas.String()),
                ("labels", Schemas.Map(Schemas.String())),
                ("annotations", Schemas.Map(Schemas.String())),
                ("value", Schemas.Number()),
                ("activeAt", Schemas.DateTime()),
                ("firedAt", Schemas.Nullable(Schemas.DateTime())),
                ("muted", Schemas.Nullable(Schemas.String())))));

        v1.MapGet("/silences", () => Results.Json((api.Notifications?.Silences.List() ?? []).Select(Describe), ApiJson.Options))
            .Role(ApiRole.Viewer)
            .Summary("Silences that have not ended.")
            .Returns(Schemas.Array(SilenceSchema));

        v1.MapPost("/silences", async (HttpContext context) =>
            {
                var (body, problem) = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
                if (problem is not null)
                {
                    return problem;
                }

                var errors = new Dictionary<string, string[]>();
                var matchers = new List<LabelMatcher>();
                if (!body.TryGetProperty("matchers", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                {
                    errors["matchers"] = ["is required: a list such as [\"service=api\", \"severity!=info\"]"];
                }
                else
                {
                    foreach (var item in list.EnumerateArray())
                    {
                        if (LabelMatcher.Parse(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.ToString()) is { } matcher)
                        {
                            matchers.Add(matcher);
                        }
                        else
                        {
                            errors["matchers"] = [$"each must be LABEL=VALUE or LABEL!=VALUE with a label of letters, digits and '_' (got {item})"];
                        }
                    }
                }

                var duration = TimeSpan.Zero;
                var forText = JsonBody.String(body, "for");
                if (forText is null)
                {
                    errors["for"] = ["is required: how long, such as 30m or 2h"];
                }
                else if (!DurationText.TryParse(forText, out duration, out var durationError) || duration <= TimeSpan.Zero)
                {
                    errors["for"] = [durationError ?? "must be longer than 0"];
                }

                if (api.Notifications is null)
                {
                    return Problems.Result(StatusCodes.Status409Conflict, "this app has no alerts.receivers, so there is nothing to silence");
                }

                if (errors.Count > 0)
                {
                    return Problems.Invalid(errors);
                }

                var by = ApiPrincipal.Get(context)?.Name ?? "-";
                var comment = JsonBody.String(body, "comment") ?? "";
                AuditArguments.Add(context, "matchers", string.Join(", ", matchers));
                AuditArguments.Add(context, "for", forText!);
                AuditArguments.Add(context, "comment", comment);
                AuditIntent.Write(context, api.Audit);
                var silence = api.Notifications.Silences.Add(matchers, duration, by, comment);
                AuditArguments.Add(context, "id", silence.Id);
                AuditArguments.Add(context, "endsAt", silence.EndsAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                return Results.Json(Describe(silence), ApiJson.Options, statusCode: StatusCodes.Status201Created);
            })
            .Role(ApiRole.Deployer)
            .Summary("Mute matching alerts for a while.")
            .Accepts(Schemas.Object(("matchers", Schemas.Array(Schemas.String())), ("for", Schemas.String()), ("comment", Schemas.String())))
            .Returns(SilenceSchema, StatusCodes.Status201Created, "Created");

        v1.MapDelete("/silences/{id}", (string id, HttpContext context) =>
            {
                AuditIntent.Write(context, api.Audit);
                return api.Notifications?.Silences.Remove(id) == true ? Results.NoContent() : Problems.NotFound($"there is no active silence with id {id}");
            })
            .Role(ApiRole.Deployer)
            .Summary("End a silence now.")
            .ReturnsNothing();
    }

    private static JsonObject SilenceSchema => Schemas.Object(
        ("id", Schemas.String()),
        ("matchers", Schemas.Array(Schemas.String())),
        ("startsAt", Schemas.DateTime()),
        ("endsAt", Schemas.DateTime()),
        ("createdBy", Schemas.String()),
        ("comment", Schemas.String()));

    private static object Describe(Silence s) => new
    {
        id = s.Id,
        matchers = s.Matchers.Select(m => m.ToString()),
        startsAt = s.StartsAt,
        endsAt = s.EndsAt,
        createdBy = s.CreatedBy,
        comment = s.Comment,
    };
}
