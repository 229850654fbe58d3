using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Slipway.Server.Tests.Api;

/// <summary>
/// What a deployer may change with <c>slipway apply</c> and what only an admin may, over the real daemon. Every
/// apply here carries a stale fingerprint: one that passes the role check is refused with 409 and changes nothing.
/// </summary>
public sealed class ApplyPrivilegeTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public ApplyPrivilegeTests(DaemonFixture daemon) => _daemon = daemon;

    /// <summary>An edit of the running manifest, and the change a refusal must name.</summary>
    public static TheoryData<string, string, string> AdminChanges => new()
    {
        { "command: dotnet", "command: /usr/bin/dotnet", "api: run.command" },
        { "args: [", "args: [\"--extra\", ", "api: run.args" },
        { "DEMO_LOG_ERRORS: \"true\"", "DEMO_LOG_ERRORS: \"false\"", "api: run.env.DEMO_LOG_ERRORS" },
        { "secrets: [DEMO_SECRET]", "secrets: [DEMO_SECRET, ANOTHER]", "api: run.secrets" },
        { "readiness: { http: /ready,", "readiness: { exec: [\"true\"],", "api: health.readiness.exec" },
        { "routes: [ { path: / } ]", "routes: [ { path: /v2 } ]", "api: routes" },
        { "app: api-test", "app: api-test\nproxy: { listen: [\"http://127.0.0.1:1\"] }", "proxy: proxy.listen" },
        { "services:", "services:\n  other:\n    run: { command: sleep, args: [\"600\"] }", "other: a new service" },
    };

    public static TheoryData<string, string> DeployerChanges => new()
    {
        { "replicas: 1", "replicas: 2" },
        { "drainTimeout: 1s", "drainTimeout: 2s" },
        { "restart: { backoff: 200ms", "restart: { backoff: 300ms" },
        { "readiness: { http: /ready, period: 300ms", "readiness: { http: /ready, period: 400ms" },
        { "replicas: 1", "replicas: 1\n    loadBalancing: round-robin" },
    };

    [Theory]
    [MemberData(nameof(AdminChanges))]
    public async Task Apply_DeployerChangingWhatRunsOrWhatIsExposed_RefusedNamingTheChange(string from, string to, string named)
    {
        var deployer = await _daemon.TokenAsync("deployer-" + Guid.NewGuid().ToString("N")[..8], "deployer");
        using var client = _daemon.Client(deployer);

        using var response = await client.PostAsJsonAsync("/api/v1/apply", new { manifest = await EditAsync(from, to), file = "edited.yaml", fingerprint = "stale" });
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode} {text}");
        Assert.Contains(named, text, StringComparison.Ordinal);
        Assert.Contains("admin", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdminChanges))]
    public async Task Apply_AdminChangingWhatRuns_PassesTheRoleCheck(string from, string to, string named)
    {
        using var client = _daemon.Client(_daemon.AdminToken);

        using var response = await client.PostAsJsonAsync("/api/v1/apply", new { manifest = await EditAsync(from, to), file = "edited.yaml", fingerprint = "stale" });

        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{named}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [MemberData(nameof(DeployerChanges))]
    public async Task Apply_DeployerChangingReplicasAndRolloutTuning_PassesTheRoleCheck(string from, string to)
    {
        var deployer = await _daemon.TokenAsync("deployer-" + Guid.NewGuid().ToString("N")[..8], "deployer");
        using var client = _daemon.Client(deployer);

        using var response = await client.PostAsJsonAsync("/api/v1/apply", new { manifest = await EditAsync(from, to), file = "edited.yaml", fingerprint = "stale" });

        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Plan_NamesTheRoleEachChangeNeeds()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        var manifest = await EditAsync("replicas: 1", "replicas: 2");
        manifest = manifest.Replace("args: [", "args: [\"--extra\", ", StringComparison.Ordinal);

        using var plan = await PlanAsync(client, manifest);

        var action = plan.RootElement.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("target").GetString() == "api");
        Assert.Equal("admin", action.GetProperty("role").GetString());
        var roles = action.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("role").GetString());
        Assert.Equal("admin", roles["run.args"]);
        Assert.Equal("deployer", roles["replicas"]);
        Assert.Equal("admin", plan.RootElement.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Plan_EnvValuesAndUrlsChanged_MaskedEvenForAnAdmin()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        var manifest = (await EditAsync("DEMO_LOG_ERRORS: \"true\"", "DEMO_LOG_ERRORS: \"true\", DB_PASSWORD: hunter2-in-env"))
            .Replace("args: [", "args: [\"--db=postgresql://app:hunter2-in-url@db.example.com:5432/shop\", ", StringComparison.Ordinal);

        using var response = await client.PostAsJsonAsync("/api/v1/apply/plan", new { manifest, file = "edited.yaml" });
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Contains("run.env.DB_PASSWORD", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-in-env", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-in-url", text, StringComparison.Ordinal);
        Assert.Contains("postgresql://db.example.com:5432/...", text, StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> PlanAsync(HttpClient client, string manifest)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/apply/plan", new { manifest, file = "edited.yaml" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text);
    }

    private async Task<string> EditAsync(string from, string to)
    {
        var text = await File.ReadAllTextAsync(_daemon.ManifestPath);
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }
}
