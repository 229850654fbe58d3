using System.Text.Json.Nodes;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>
/// The API's OpenAPI 3 document, written out by hand (no generator package is served here). A test compares its
/// paths and methods with the endpoints actually mapped, so the two cannot drift apart silently.
/// </summary>
internal static class OpenApiDocument
{
    public static IReadOnlyList<ApiOperation> Operations { get; } =
    [
        new("GET", "/healthz", null, "Liveness of the daemon; the only call without a token."),
        new("GET", "/api/v1/openapi.json", ApiRole.Viewer, "This document."),
        new("GET", "/api/v1/services", ApiRole.Viewer, "Every service: revision, replicas, ready instances, health."),
        new("GET", "/api/v1/services/{name}", ApiRole.Viewer, "One service with its revisions, instances and health."),
        new("POST", "/api/v1/services/{name}/scale", ApiRole.Deployer, "Set the number of replicas.", """{"replicas": 3}"""),
        new("POST", "/api/v1/services/{name}/restart", ApiRole.Deployer, "Replace the service's instances one at a time; answers when done."),
        new("GET", "/api/v1/instances", ApiRole.Viewer, "Every instance: phase, readiness, pid, port, restarts, CPU, memory."),
        new("GET", "/api/v1/events", ApiRole.Viewer, "Events, oldest first; ?service=NAME&since=10m|ISO-8601&limit=N."),
        new("GET", "/api/v1/events/stream", ApiRole.Viewer, "Server-sent events: each new event as it happens; ?service=NAME."),
        new("GET", "/api/v1/logs", ApiRole.Viewer, "Log lines; ?service=NAME (required)&instance=ID&grep=TEXT&since=10m&limit=N."),
        new("GET", "/api/v1/logs/stream", ApiRole.Viewer, "Server-sent events: new log lines as they are written; same filters."),
        new("GET", "/api/v1/secrets", ApiRole.Admin, "Secret names and when each was set. Never values."),
        new("PUT", "/api/v1/secrets/{name}", ApiRole.Admin, "Set a secret; ?restart=true rolling-restarts services that use it.", """{"value": "..."}"""),
        new("DELETE", "/api/v1/secrets/{name}", ApiRole.Admin, "Delete a secret."),
        new("GET", "/api/v1/tokens", ApiRole.Admin, "Token names, roles and creation times. Never tokens."),
        new("POST", "/api/v1/tokens", ApiRole.Admin, "Issue a token; the answer holds it, once.", """{"name": "ci", "role": "deployer"}"""),
        new("DELETE", "/api/v1/tokens/{name}", ApiRole.Admin, "Revoke a token."),
        new("GET", "/api/v1/audit", ApiRole.Admin, "Audit entries, oldest first; ?since=10m|ISO-8601."),
        new("GET", "/api/v1/audit/verify", ApiRole.Admin, "Walk the hash chain; names the first entry that does not hold."),
        new("GET", "/api/v1/alerts", ApiRole.Viewer, "Pending and firing alerts with labels, annotations, value, since when, and what mutes them."),
        new("GET", "/api/v1/silences", ApiRole.Viewer, "Silences that have not ended."),
        new("POST", "/api/v1/silences", ApiRole.Deployer, "Mute matching alerts for a while.", """{"matchers": ["service=api"], "for": "2h", "comment": "migrating"}"""),
        new("DELETE", "/api/v1/silences/{id}", ApiRole.Deployer, "End a silence now."),
    ];

    public static JsonObject Build()
    {
        var paths = new JsonObject();
        foreach (var group in Operations.GroupBy(o => o.Path))
        {
            var item = new JsonObject();
            foreach (var operation in group)
            {
                var op = new JsonObject
                {
                    ["summary"] = operation.Summary,
                    ["responses"] = new JsonObject
                    {
                        ["200"] = new JsonObject { ["description"] = "OK" },
                        ["default"] = new JsonObject
                        {
                            ["description"] = "An RFC 9457 problem",
                            ["content"] = new JsonObject { [Problems.ContentType] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
                        },
                    },
                };
                if (operation.Role is { } role)
                {
                    op["x-slipway-role"] = ApiRoles.Name(role);
                }
                else
                {
                    op["security"] = new JsonArray();
                }

                if (operation.Path.IndexOf('{', StringComparison.Ordinal) is var open and >= 0)
                {
                    var parameter = operation.Path[(open + 1)..operation.Path.IndexOf('}', open)];
                    op["parameters"] = new JsonArray(new JsonObject
                    {
                        ["name"] = parameter, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" },
                    });
                }

                if (operation.Body is { } example)
                {
                    op["requestBody"] = new JsonObject
                    {
                        ["required"] = true,
                        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["example"] = JsonNode.Parse(example) } },
                    };
                }

                item[operation.Method.ToLowerInvariant()] = op;
            }

            paths[group.Key] = item;
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = "Slipway control API", ["version"] = "v1" },
            ["paths"] = paths,
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer" } },
                ["schemas"] = new JsonObject
                {
                    ["Problem"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["type"] = new JsonObject { ["type"] = "string" },
                            ["title"] = new JsonObject { ["type"] = "string" },
                            ["status"] = new JsonObject { ["type"] = "integer" },
                            ["detail"] = new JsonObject { ["type"] = "string" },
                            ["errors"] = new JsonObject { ["type"] = "object" },
                        },
                    },
                },
            },
        };
    }
}
