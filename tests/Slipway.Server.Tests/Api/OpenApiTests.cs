using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Slipway.Server.Tests.Api;

/// <summary>
/// The served OpenAPI document against what is mapped: every endpoint documented with its role, summary and
/// answers; every handler parameter documented (and nothing else); every GET answer shaped as its schema says.
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
    public async Task Document_HandlerParameters_AreExactlyTheDocumentedOnes()
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

            var read = handler.GetParameters()
                .Where(p => p.ParameterType != typeof(HttpContext) && p.ParameterType != typeof(CancellationToken))
                .Select(p => (In: endpoint.RoutePattern.GetParameter(p.Name!) is null ? "query" : "path", p.Name!))
                .ToHashSet();
            var operation = paths.GetProperty(path).GetProperty(method.ToLowerInvariant());
            var documented = operation.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Select(p => (In: p.GetProperty("in").GetString()!, p.GetProperty("name").GetString()!)).ToHashSet()
                : [];
            problems.AddRange(read.Except(documented).Select(p => $"{method} {path}: the handler reads {p.In} parameter '{p.Item2}', which is not documented"));
            problems.AddRange(documented.Except(read).Select(p => $"{method} {path}: documents {p.In} parameter '{p.Item2}', which the handler does not read"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Document_GetAnswers_MatchTheirSchemas()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
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
            // checked here: its schema still has to be there (the first test), just not exercised.
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
            Validate(body, json.GetProperty("schema"), $"GET {path}: $", problems);
            checkedCount++;
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(checkedCount >= 10, $"only {checkedCount} GET answers were checked");
    }

    [Fact]
    public void Validate_FieldNotInSchema_IsReported()
    {
        // The check the test above relies on: an answer that grew a field without its schema fails.
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}""");
        using var grown = JsonDocument.Parse("""{"a":"x","b":1}""");
        using var shrunk = JsonDocument.Parse("""{}""");
        var problems = new List<string>();
        Validate(grown.RootElement, schema.RootElement, "$", problems);
        Validate(shrunk.RootElement, schema.RootElement, "$", problems);
        Assert.Equal(["$.b is not in the schema", "$.a is required but missing"], problems);
    }

    private IEnumerable<(RouteEndpoint Endpoint, string Method, string Path)> Operations() =>
        Mapped.SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (e, m, "/" + e.RoutePattern.RawText!.TrimStart('/'))));

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        return await client.GetFromJsonAsync<JsonElement>("/api/v1/openapi.json");
    }

    /// <summary>The OpenAPI 3.0 subset Slipway writes: type, nullable, format date-time, enum, properties, required, additionalProperties, items.</summary>
    private static void Validate(JsonElement value, JsonElement schema, string at, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!(schema.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean()))
            {
                problems.Add($"{at} is null but not nullable");
            }

            return;
        }

        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        var fits = type switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "array" => value.ValueKind == JsonValueKind.Array,
            "object" => value.ValueKind == JsonValueKind.Object,
            _ => true,
        };
        if (!fits)
        {
            problems.Add($"{at} is {value.ValueKind}, the schema says {type}");
            return;
        }

        if (schema.TryGetProperty("format", out var format) && format.GetString() == "date-time" && !value.TryGetDateTimeOffset(out _))
        {
            problems.Add($"{at} is not a date-time: {value}");
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.GetString() == value.GetString()))
        {
            problems.Add($"{at} is \"{value.GetString()}\", not one of {values}");
        }

        if (type == "array")
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Validate(item, schema.GetProperty("items"), $"{at}[{i++}]", problems);
            }
        }

        if (type != "object")
        {
            return;
        }

        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : default;
        foreach (var property in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var declared))
            {
                Validate(property.Value, declared, $"{at}.{property.Name}", problems);
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Validate(property.Value, additional, $"{at}.{property.Name}", problems);
            }
            else if (additional.ValueKind != JsonValueKind.True)
            {
                problems.Add($"{at}.{property.Name} is not in the schema");
            }
        }

        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    problems.Add($"{at}.{name} is required but missing");
                }
            }
        }
    }
}
