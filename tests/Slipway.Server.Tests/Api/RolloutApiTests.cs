using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Slipway.Server.Tests.Api;

/// <summary>The rollout endpoints' answers over real HTTP: bodies checked field by field, refusals as problems, history.</summary>
public sealed class RolloutApiTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public RolloutApiTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task Deploy_InvalidBody_Is400ListingEachField()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        using var response = await client.PostAsync("/api/v1/services/api/deploy", Json("""{"force": "yes", "reason": 3}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["force", "reason", "version"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ApplyPlan_EditedManifest_ListsEachActionWithItsValues()
    {
        var text = (await File.ReadAllTextAsync(_daemon.ManifestPath))
            .Replace("replicas: 1", "replicas: 2", StringComparison.Ordinal)
            .Replace("interval: 1s", "interval: 2s", StringComparison.Ordinal)
            + "\n  legacy:\n    upstream: [\"127.0.0.1:9\"]\n    routes: [ { path: /old } ]\n";
        using var client = _daemon.Client(_daemon.AdminToken);
        using var response = await client.PostAsync("/api/v1/apply/plan", JsonContent.Create(new { manifest = text, file = "edited.yaml" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(plan.GetProperty("nothingToDo").GetBoolean());
        Assert.Equal(16, plan.GetProperty("fingerprint").GetString()!.Length);
        var actions = plan.GetProperty("actions").EnumerateArray().Select(a => $"{a.GetProperty("target")} {a.GetProperty("kind")} {a.GetProperty("detail")}").ToList();
        Assert.Equal(
            ["api needs-restart internal listeners, metrics scraping, SLO alerts and stateful services' ports and addresses are set up at start", "api scale replicas 1 → 2", "legacy start watch upstream 127.0.0.1:9"],
            actions);
    }

    [Fact]
    public async Task ApplyPlan_BrokenManifest_Is400NamingFileLineAndColumn()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        using var response = await client.PostAsync("/api/v1/apply/plan", JsonContent.Create(new { manifest = "app: x\nservices:\n  api: { replicas: many }\n", file = "broken.yaml" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("manifest");
        Assert.Contains(errors.EnumerateArray(), e => e.GetString()!.StartsWith("broken.yaml:3:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("--help")]
    public async Task Deploy_BadVersion_Is400Problem(string version)
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        using var response = await client.PostAsync("/api/v1/services/api/deploy", Json($$"""{"version": "{{version}}"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"version {version} is not valid", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_NoRollout_Is409ProblemSayingSo()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        using var response = await client.PostAsync("/api/v1/services/api/promote", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("no rollout of api is running", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Revisions_FirstStart_ListsRevisionOneByTheDaemon()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        var revisions = await client.GetFromJsonAsync<JsonElement>("/api/v1/services/api/revisions");

        var first = revisions.EnumerateArray().Last();
        Assert.Equal(("1", "daemon", "first start"), (first.GetProperty("revision").GetString(), first.GetProperty("createdBy").GetString(), first.GetProperty("reason").GetString()));
        using var unknown = await client.GetAsync("/api/v1/services/payments/revisions");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
