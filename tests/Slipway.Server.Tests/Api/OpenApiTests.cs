using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Slipway.Server.Tests.Api;

/// <summary>
/// The served OpenAPI document against what is mapped: every endpoint documented with its role, summary and
/// answers; every handler parameter and body documented (and nothing else); every GET answer shaped as its schema says.
/// </summary>
public sealed class OpenApiTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public OpenApiTests(DaemonFixture daemon) => _daemon = daemon;

    private IEnumerable<RouteEndpoint> Mapped => _daemon.Running.Api.Endpoints.OfType<RouteEndpoint>();

    [Fact]
    public async Task Document_EveryMappedOperation_HasSummaryRoleAndSuccessResponse()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var problems = new List<string>();
        foreach (var (endpoint, method, path) in Operations())
        {
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                problems.Add($"{method} {path}: not in the document");
                continue;
            }

            if (operation.GetProperty("summary").GetString() is not { Length: > 0 })
            {
                problems.Add($"{method} {path}: no summary");
            }

            if (!operation.GetProperty("responses").EnumerateObject().Any(r => r.Name.StartsWith('2')))
            {
                problems.Add($"{method} {path}: no success response");
            }

            var anonymous = operation.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;
            if (!anonymous && !operation.TryGetProperty("x-slipway-role", out _))
            {
                problems.Add($"{method} {path}: neither a role nor marked as needing no token");
            }
        }

        var documented = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"));
        var mapped = Operations().Select(o => $"{o.Method} {o.Path}").ToHashSet(StringComparer.Ordinal);
        problems.AddRange(documented.Where(d => !mapped.Contains(d)).Select(d => $"{d}: documented but not mapped"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Document_EveryOperation_HasItsParametersBodyAndAnswerSchema()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var problems = new List<string>();
        foreach (var (endpoint, method, path) in Operations())
        {
            var handler = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault();
            if (handler is null)
            {
                problems.Add($"{method} {path}: no handler method in the endpoint's metadata to compare with");
                continue;
            }

            var operation = paths.GetProperty(path).GetProperty(method.ToLowerInvariant());
            var read = handler.GetParameters().Where(p => !IsBoundOtherwise(p))
                .Select(p => (In: endpoint.RoutePattern.GetParameter(p.Name!) is null ? "query" : "path", p.Name!))
                .ToHashSet();
            var documented = operation.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Select(p => (In: p.GetProperty("in").GetString()!, p.GetProperty("name").GetString()!)).ToHashSet()
                : [];
            problems.AddRange(read.Except(documented).Select(p => $"{method} {path}: the handler reads {p.In} parameter '{p.Item2}', which is not documented"));
            problems.AddRange(documented.Except(read).Select(p => $"{method} {path}: documents {p.In} parameter '{p.Item2}', which the handler does not read"));

            var body = handler.GetParameters().Select(p => p.ParameterType)
                .FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Slipway.Server.Api.RequestBody<>))?.GetGenericArguments()[0];
            var documentedBody = operation.TryGetProperty("requestBody", out var requestBody)
                ? requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()
                : null;
            if (documentedBody != (body is null ? null : "#/components/schemas/" + body.Name))
            {
                problems.Add($"{method} {path}: the handler binds {body?.Name ?? "no body"}, the document says {documentedBody ?? "none"}");
            }

            foreach (var answer in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2') && r.Name != "204"))
            {
                if (!answer.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().All(c => c.Value.TryGetProperty("schema", out _)))
                {
                    problems.Add($"{method} {path}: answer {answer.Name} has no schema");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Endpoints_EveryBodyAndAnswerType_IsInTheGeneratedContext()
    {
        // What the daemon writes and the CLI reads goes through generated code; nothing falls back to reflection.
        var types = Mapped
            .SelectMany(e => e.Metadata.OfType<IProducesResponseTypeMetadata>().Select(p => p.Type)
                .Concat(e.Metadata.OfType<IAcceptsMetadata>().Select(a => a.RequestType)))
            .Where(t => t is not null && t != typeof(void) && t != typeof(string))
            .Distinct()
            .ToList();

        Assert.Contains(typeof(Slipway.Server.Api.Contracts.ScaleRequest), types);
        Assert.DoesNotContain(types, t => Slipway.Server.Api.Contracts.ApiJsonContext.Default.GetTypeInfo(t!) is null);
    }

    [Fact]
    public async Task Document_GetAnswers_MatchTheirSchemas()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");
        using var admin = _daemon.Client(_daemon.AdminToken);
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var (_, method, path) in Operations().Where(o => o.Method == "GET"))
        {
            var ok = paths.GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200");
            if (!ok.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json))
            {
                continue; // text and event streams
            }

            // Path parameters naming a service get the fixture's one service; every other parameter keeps its default.
            // A path with any other parameter, or one naming something the fixture does not have (404), is not
            // checked here: its schema still has to be there (the tests above), just not exercised.
            var url = path.Replace("{name}", "api", StringComparison.Ordinal).Replace("{service}", "api", StringComparison.Ordinal);
            if (url.Contains('{', StringComparison.Ordinal))
            {
                continue;
            }

            using var response = await admin.GetAsync(url);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                continue;
            }

            Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode}");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            problems.AddRange(Validate(body, json.GetProperty("schema"), document).Select(p => $"GET {path}: {p}"));
            checkedCount++;
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(checkedCount >= 10, $"only {checkedCount} GET answers were checked");
    }

    [Fact]
    public void Validate_FieldNotInSchemaOrMissing_IsReported()
    {
        // The check the test above relies on: an answer that grew or lost a field fails against its component schema.
        using var document = JsonDocument.Parse("""
            {"components": {"schemas": {"A": {"type": "object", "properties": {"a": {"type": "string", "format": "date-time"}}, "required": ["a"], "additionalProperties": false}}}}
            """);
        using var schema = JsonDocument.Parse("""{"$ref": "#/components/schemas/A"}""");
        using var grown = JsonDocument.Parse("""{"a": "2026-01-01T00:00:00Z", "b": 1}""");
        using var shrunk = JsonDocument.Parse("""{}""");
        using var wrong = JsonDocument.Parse("""{"a": "yesterday"}""");

        Assert.Empty(Validate(JsonDocument.Parse("""{"a": "2026-01-01T00:00:00Z"}""").RootElement, schema.RootElement, document.RootElement));
        Assert.NotEmpty(Validate(grown.RootElement, schema.RootElement, document.RootElement));
        Assert.NotEmpty(Validate(shrunk.RootElement, schema.RootElement, document.RootElement));
        Assert.NotEmpty(Validate(wrong.RootElement, schema.RootElement, document.RootElement));
    }

    /// <summary>Every mapped operation but those left out of the document on purpose (the dashboard's page and files).</summary>
    private IEnumerable<(RouteEndpoint Endpoint, string Method, string Path)> Operations() =>
        Mapped.Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true }).SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (e, m, "/" + e.RoutePattern.RawText!.TrimStart('/'))));

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        return await client.GetFromJsonAsync<JsonElement>("/api/v1/openapi.json");
    }

    /// <summary>Handler parameters that are not the operation's path or query parameters: the body, the request, services.</summary>
    private static bool IsBoundOtherwise(ParameterInfo parameter) =>
        parameter.ParameterType == typeof(HttpContext) || parameter.ParameterType == typeof(CancellationToken)
        || parameter.ParameterType.IsInterface || parameter.GetCustomAttribute<Microsoft.Extensions.DependencyInjection.FromKeyedServicesAttribute>() is not null
        || (parameter.ParameterType.IsGenericType && parameter.ParameterType.GetGenericTypeDefinition() == typeof(Slipway.Server.Api.RequestBody<>));

    /// <summary>
    /// <paramref name="value"/> against <paramref name="schema"/>, a JSON Schema 2020-12 (OpenAPI 3.1) whose
    /// <c>$ref</c>s point into <paramref name="document"/>'s components; formats (date-time) are checked too.
    /// </summary>
    private static List<string> Validate(JsonElement value, JsonElement schema, JsonElement document)
    {
        var root = new JsonObject { ["$schema"] = "https://json-schema.org/draft/2020-12/schema" };
        foreach (var (key, node) in JsonNode.Parse(schema.GetRawText())!.AsObject())
        {
            root[key] = node?.DeepClone();
        }

        root["$defs"] = JsonNode.Parse(document.GetProperty("components").GetProperty("schemas").GetRawText());
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var results = JsonSchema.FromText(text).Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value} ({d.EvaluationPath})"))];
    }
}
