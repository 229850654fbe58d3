using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Server.Tests.Api;

/// <summary>Jobs over HTTP: a run started by hand, followed to its end, in the history and in the audit.</summary>
public sealed class JobsApiTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public JobsApiTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task Run_ByHand_RunsToItsEndInTheHistoryAndTheAuditNamesWhoStartedIt()
    {
        var name = "runner-" + Guid.NewGuid().ToString("N")[..8];
        var token = await _daemon.TokenAsync(name, "deployer");
        using var deployer = _daemon.Client(token);

        using var started = await deployer.PostAsync("/api/v1/jobs/greet/run", null);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var run = await started.Content.ReadFromJsonAsync<JsonElement>();
        var id = run.GetProperty("id").GetInt64();
        Assert.Equal("manual", run.GetProperty("trigger").GetString());
        Assert.Equal(name, run.GetProperty("by").GetString());

        JsonElement finished = default;
        await Wait.UntilAsync(async () =>
        {
            finished = await deployer.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/greet/runs/{id}");
            return finished.GetProperty("outcome").GetString() != "running";
        }, "the job run to end", seconds: 60);
        Assert.Equal("succeeded", finished.GetProperty("outcome").GetString());
        Assert.Equal(0, finished.GetProperty("exitCode").GetInt32());
        Assert.Contains("hello from greet", finished.GetProperty("logTail").GetString(), StringComparison.Ordinal);

        var history = await deployer.GetFromJsonAsync<JsonElement>("/api/v1/jobs/greet/runs");
        Assert.Contains(history.EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
        var jobs = await deployer.GetFromJsonAsync<JsonElement>("/api/v1/jobs");
        Assert.Equal("greet", jobs.EnumerateArray().Single().GetProperty("name").GetString());

        using var admin = _daemon.Client(_daemon.AdminToken);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var entry = audit.EnumerateArray().Last(e => e.GetProperty("actor").GetString() == name);
        Assert.Equal("POST", entry.GetProperty("method").GetString());
        Assert.Equal("/api/v1/jobs/{name}/run", entry.GetProperty("route").GetString());
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
        Assert.Equal("greet", entry.GetProperty("arguments").GetProperty("name").GetString());
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.GetProperty("arguments").GetProperty("run").GetString());
    }

    [Fact]
    public async Task Run_UnknownJob_NotFoundNamingIt()
    {
        using var admin = _daemon.Client(_daemon.AdminToken);

        using var response = await admin.PostAsync("/api/v1/jobs/no-such/run", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("there is no job named no-such", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
