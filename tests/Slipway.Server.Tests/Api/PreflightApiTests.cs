using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Cli;

namespace Slipway.Server.Tests.Api;

/// <summary>
/// The daemon's preflight over HTTP and through the CLI, and deploy's refusal. The fixture's service needs secret
/// DEMO_SECRET, which nobody set: a real missing secret.
/// </summary>
public sealed class PreflightApiTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public PreflightApiTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task Preflight_SecretMissing_NotPassedWithTheFindingAndItsFix()
    {
        using var client = _daemon.Client(await _daemon.TokenAsync("preflight-viewer", "viewer"));
        var report = await client.GetFromJsonAsync<JsonElement>("/api/v1/preflight?service=api");

        Assert.False(report.GetProperty("passed").GetBoolean());
        var secret = report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("check").GetString() == "secrets");
        Assert.Equal(("fail", "secret DEMO_SECRET is not set: the service's instances cannot start", "slipway secrets set DEMO_SECRET", "api"),
            (secret.GetProperty("status").GetString(), secret.GetProperty("evidence").GetString(), secret.GetProperty("fix").GetString(), secret.GetProperty("service").GetString()));
        Assert.Contains(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("check").GetString() == "manifest" && f.GetProperty("status").GetString() == "ok");
        using var unknown = await client.GetAsync("/api/v1/preflight?service=payments");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task PreflightCommand_AFailure_ExitsOneAndPrintsTheFix()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Task.Run(() => SlipwayCommand.Run(["preflight", "--service", "api", "--server", _daemon.BaseAddress, "--token", _daemon.AdminToken], stdout, stderr));

        Assert.True(exit == 1, stderr.ToString());
        var text = stdout.ToString();
        Assert.Contains("fail    secrets      services.api.run.secrets: DEMO_SECRET: secret DEMO_SECRET is not set", text, StringComparison.Ordinal);
        Assert.Contains("fix: slipway secrets set DEMO_SECRET", text, StringComparison.Ordinal);
        Assert.Matches(@"preflight: \d+ ok, \d+ warnings?, \d+ failures?, \d+ skipped: fix the failures before going live", text);
    }

    [Fact]
    public async Task Deploy_PreflightFails_RefusedUnlessForcedAndTheOverrideAudited()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        using (var refused = await client.PostAsJsonAsync("/api/v1/services/api/deploy", new { version = "2" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("api: preflight fails: services.api.run.secrets: DEMO_SECRET: secret DEMO_SECRET is not set: the service's instances cannot start; fix them, or deploy --force (recorded in the audit log)",
                (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }

        using (var forced = await client.PostAsJsonAsync("/api/v1/services/api/deploy", new { version = "2", force = true }))
        {
            Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        }

        var audit = await client.GetStringAsync("/api/v1/audit");
        Assert.Contains("overridden: preflight fails: services.api.run.secrets: DEMO_SECRET", audit, StringComparison.Ordinal);
        var revisions = await client.GetFromJsonAsync<JsonElement>("/api/v1/services/api/revisions");
        Assert.Contains("forced past preflight fails", revisions.EnumerateArray().First().GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostMeasurements_RunningDaemon_EveryServiceWithItsInstances()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        var measured = await client.GetFromJsonAsync<JsonElement>("/api/v1/cost/measurements");

        var api = Assert.Single(measured.GetProperty("services").EnumerateArray());
        Assert.Equal("api", api.GetProperty("name").GetString());
        Assert.Equal(300, measured.GetProperty("windowSeconds").GetDouble());
        Assert.True(measured.GetProperty("stateBytes").GetInt64() > 0);
    }
}
