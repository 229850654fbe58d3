using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Slipway.Server.Tests.Api;

/// <summary>Problem details, services and audit over HTTP.</summary>
public sealed class ApiBehaviourTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public ApiBehaviourTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task GetService_Unknown_Is404ProblemNamingIt()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        using var response = await client.GetAsync("/api/v1/services/payments");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("payments", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_InvalidBody_Is400ListingEachField()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        using var response = await client.PostAsync("/api/v1/services/api/scale", new StringContent("""{"replicas": -3}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("-3", problem.GetProperty("errors").GetProperty("replicas")[0].GetString(), StringComparison.Ordinal);

        using var tokens = await client.PostAsync("/api/v1/tokens", new StringContent("""{"name": "Bad Name!", "role": "root"}""", Encoding.UTF8, "application/json"));
        var errors = (await tokens.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("role", out _), errors.ToString());

        using var malformed = await client.PostAsync("/api/v1/tokens", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Services_List_ShowsRevisionAndHealth()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        var services = await client.GetFromJsonAsync<JsonElement>("/api/v1/services");
        var api = services.EnumerateArray().Single();
        Assert.Equal("api", api.GetProperty("name").GetString());
        Assert.Equal("1", api.GetProperty("revision").GetString());
        Assert.True(api.TryGetProperty("health", out _));
    }

    [Fact]
    public async Task Audit_MutatingCalls_RecordedWithActorRouteAndStatus()
    {
        var token = await _daemon.TokenAsync("auditee-" + Guid.NewGuid().ToString("N")[..8], "deployer");
        using (var deployer = _daemon.Client(token))
        {
            using var denied = await deployer.DeleteAsync("/api/v1/tokens/admin");
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        using var admin = _daemon.Client(_daemon.AdminToken);
        var entries = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var last = entries.EnumerateArray().Last(e => e.GetProperty("route").GetString() == "/api/v1/tokens/{name}");
        Assert.Equal("DELETE", last.GetProperty("method").GetString());
        Assert.Equal(403, last.GetProperty("status").GetInt32());
        Assert.StartsWith("auditee-", last.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Equal("admin", last.GetProperty("arguments").GetProperty("name").GetString());
        Assert.Equal("127.0.0.1", last.GetProperty("remote").GetString());

        var verify = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
    }
}
