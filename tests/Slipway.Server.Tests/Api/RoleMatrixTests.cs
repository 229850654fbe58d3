using System.Net;
using System.Text;

namespace Slipway.Server.Tests.Api;

/// <summary>Every endpoint × every role: 401 without a token, 403 below the endpoint's role, through above it.</summary>
public sealed class RoleMatrixTests : IClassFixture<DaemonFixture>
{
    private static readonly string[] Roles = ["viewer", "deployer", "admin"];
    private readonly DaemonFixture _daemon;

    public RoleMatrixTests(DaemonFixture daemon) => _daemon = daemon;

    /// <summary>Allowed calls aim at things that do not exist or bodies that are wrong, so the matrix changes nothing.</summary>
    public static TheoryData<string, string, string?, string> Endpoints => new()
    {
        { "GET", "/metrics", null, "viewer" },
        { "GET", "/api/v1/openapi.json", null, "viewer" },
        { "GET", "/api/v1/services", null, "viewer" },
        { "GET", "/api/v1/services/api", null, "viewer" },
        { "GET", "/api/v1/instances", null, "viewer" },
        { "GET", "/api/v1/events?service=api", null, "viewer" },
        { "GET", "/api/v1/logs?service=api", null, "viewer" },
        { "GET", "/api/v1/events/stream?service=no-such", null, "viewer" },
        { "GET", "/api/v1/logs/stream?service=no-such", null, "viewer" },
        { "POST", "/api/v1/services/no-such/scale", """{"replicas":1}""", "deployer" },
        { "POST", "/api/v1/services/no-such/restart", null, "deployer" },
        { "POST", "/api/v1/services/no-such/deploy", """{"version":"2"}""", "deployer" },
        { "POST", "/api/v1/apply/plan", "{}", "deployer" },
        { "POST", "/api/v1/apply", "{}", "deployer" },
        { "POST", "/api/v1/services/no-such/promote", null, "deployer" },
        { "POST", "/api/v1/services/no-such/pause", null, "deployer" },
        { "POST", "/api/v1/services/no-such/resume", null, "deployer" },
        { "POST", "/api/v1/services/no-such/abort", null, "deployer" },
        { "POST", "/api/v1/services/no-such/rollback", null, "deployer" },
        { "GET", "/api/v1/services/no-such/revisions", null, "viewer" },
        { "GET", "/api/v1/secrets", null, "admin" },
        { "PUT", "/api/v1/secrets/NOT_SET_HERE", "{}", "admin" },
        { "DELETE", "/api/v1/secrets/NOT_SET_HERE", null, "admin" },
        { "GET", "/api/v1/tokens", null, "admin" },
        { "POST", "/api/v1/tokens", "{}", "admin" },
        { "DELETE", "/api/v1/tokens/no-such", null, "admin" },
        { "GET", "/api/v1/audit", null, "admin" },
        { "GET", "/api/v1/audit/verify", null, "admin" },
        { "GET", "/api/v1/alerts", null, "viewer" },
        { "GET", "/api/v1/certs", null, "viewer" },
        { "GET", "/api/v1/silences", null, "viewer" },
        { "POST", "/api/v1/silences", "{}", "deployer" },
        { "DELETE", "/api/v1/silences/no-such", null, "deployer" },
        { "GET", "/api/v1/jobs", null, "viewer" },
        { "GET", "/api/v1/jobs/no-such/runs", null, "viewer" },
        { "GET", "/api/v1/jobs/no-such/runs/1", null, "viewer" },
        { "POST", "/api/v1/jobs/no-such/run", null, "deployer" },
        { "GET", "/api/v1/services/no-such/metrics", null, "viewer" },
        { "GET", "/api/v1/backups", null, "viewer" },
        { "POST", "/api/v1/backups/no-such/run", null, "deployer" },
        { "GET", "/api/v1/session", null, "viewer" },
        { "DELETE", "/api/v1/session", null, "viewer" },
        { "GET", "/api/v1/maintenance", null, "viewer" },
        { "PUT", "/api/v1/maintenance", """{"service":"no-such"}""", "deployer" },
        { "DELETE", "/api/v1/maintenance?service=no-such", null, "deployer" },
        { "GET", "/api/v1/preflight?service=no-such", null, "viewer" },
        { "GET", "/api/v1/cost/measurements", null, "viewer" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_EachRole_AllowedOrDeniedByRole(string method, string path, string? body, string least)
    {
        using (var anonymous = _daemon.Client(null))
        {
            using var response = await anonymous.SendAsync(Request(method, path, body));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using (var forged = _daemon.Client("slw_not-a-real-token"))
        {
            using var response = await forged.SendAsync(Request(method, path, body));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        foreach (var role in Roles)
        {
            var token = await TokenFor(role);
            using var client = _daemon.Client(token);
            using var response = await client.SendAsync(Request(method, path, body));
            var text = await response.Content.ReadAsStringAsync();
            if (Array.IndexOf(Roles, role) < Array.IndexOf(Roles, least))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} {method} {path}: expected 403, got {(int)response.StatusCode} {text}");
                Assert.Contains(least, text, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"{role} {method} {path}: expected to pass auth, got {(int)response.StatusCode} {text}");
            }
        }
    }

    [Fact]
    public async Task Endpoints_CoverEveryOperationTheOpenApiDocumentLists()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        using var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/v1/openapi.json"));
        var covered = Endpoints.Select(row => ((string)row[0], ((string)row[1]).Split('?')[0])).ToList();
        var missing = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            var pattern = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Replace(path.Name, "\\{[^}]+\\}", "[^/]+") + "$");
            foreach (var operation in path.Value.EnumerateObject())
            {
                // Operations that need no token (/healthz, sign-in) say so with an empty security list; they have their own tests.
                if (operation.Value.TryGetProperty("security", out var security) && security.GetArrayLength() == 0)
                {
                    continue;
                }

                var method = operation.Name.ToUpperInvariant();
                if (!covered.Any(c => c.Item1 == method && pattern.IsMatch(c.Item2)))
                {
                    missing.Add($"{method} {path.Name}");
                }
            }
        }

        Assert.True(missing.Count == 0, "not in the role matrix: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Healthz_NoToken_Answers()
    {
        using var client = _daemon.Client(null);
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> TokenFor(string role)
    {
        if (role == "admin")
        {
            return _daemon.AdminToken;
        }

        var name = $"matrix-{role}";
        lock (Issued)
        {
            if (Issued.TryGetValue(name, out var existing))
            {
                return existing;
            }
        }

        var token = await _daemon.TokenAsync(name + "-" + Guid.NewGuid().ToString("N")[..8], role);
        lock (Issued)
        {
            Issued[name] = token;
        }

        return token;
    }

    private static readonly Dictionary<string, string> Issued = [];

    private static HttpRequestMessage Request(string method, string path, string? body) => new(new HttpMethod(method), path)
    {
        Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
    };
}
