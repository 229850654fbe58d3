using System.Net;
using Slipway.Control.Runtime;
using Xunit.Abstractions;

namespace Slipway.EndToEnd.Tests.Examples;

/// <summary>
/// examples/howlerops from nothing: the SPA front end (a static site) and the API behind the edge's WAF, the API's
/// rolling deploy under load with no failed request after its migration hook logged in with the database password, a
/// rollback whose hook migrates down, the front end's blue-green deploy under page load with no failed request, and
/// the migration-status job run by its schedule with the API's secret; then a clean stop.
/// </summary>
[Collection(ExamplesCollection.Name)]
public sealed class HowleropsExampleTests(ITestOutputHelper output)
{
    private const string Password = "howlerops-e2e-password";

    [Fact]
    public async Task Up_Howlerops_RoutesAnswerDeployMigratesRollbackMigratesDownAndTheJobRunsOnSchedule()
    {
        // Every minute instead of every 15, so a scheduled run falls inside the test; `deploy --wait` follows the old
        // front end's warm minute too, which is two seconds here.
        await using var example = new ExampleDaemon("howlerops", new Dictionary<string, string> { ["DB_PASSWORD"] = Password },
            ("schedule: \"*/15 * * * *\"", "schedule: \"* * * * *\""), ("scaleDownDelay: 1m", "scaleDownDelay: 2s"));
        await example.StartAsync();
        await example.UntilReadyAsync(new Dictionary<string, int> { ["db"] = 1, ["api"] = 2 }, seconds: 180);

        using var client = example.Client();
        await StaticFrontEnd.AssertServedAsync(example, client, "/query", "SQL Studio v1");
        using (var page = await example.UntilOkAsync(client, "/"))
        {
            Assert.False(page.Headers.Contains("Server"));
            Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        }

        using (var api = await example.UntilOkAsync(client, "/api/connections"))
        {
            Assert.StartsWith("api-", api.Headers.GetValues("X-Demo-Instance").Single(), StringComparison.Ordinal);
        }

        using (var attack = await client.GetAsync("/api/connections?name=x%27%20or%20%271%27%3D%271"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, attack.StatusCode);
        }

        var load = new LoadGenerator(new Uri(example.Edge, "/api/"), manyClients: true);
        int exit;
        string deploy;
        await using (load)
        {
            (exit, deploy) = await example.CliAsync("deploy", "api", "--version", "2", "--wait", "--reason", "e2e");
        }

        output.WriteLine(load.Report());
        Assert.True(exit == 0, deploy);
        Assert.Contains("promoted", deploy, StringComparison.Ordinal);
        Assert.True(load.Failures == 0, load.Report());
        Assert.True(load.Requests > 100, load.Report());
        Assert.Equal("2", await example.SqlAsync(25432, "howlerops", Password, "select version from schema_migrations"));

        // slipway rollback: traffic back on version 1, then the rollback hook (the rollback Job) migrates down to 1.
        var (rolledBack, rollback) = await example.CliAsync("rollback", "api");
        Assert.True(rolledBack == 0, rollback);
        await example.Daemon.UntilAsync(async () => await example.SqlAsync(25432, "howlerops", Password, "select version from schema_migrations") == "1",
            "the rollback hook to migrate down to 1");

        await StaticFrontEnd.DeployUnderLoadAsync(example, output, "web", "2");

        await example.Daemon.UntilAsync(() => example.JobRuns("migration-status").Any(r => r.Trigger == JobTrigger.Schedule && r.Outcome != JobOutcome.Running),
            "migration-status to run on its schedule", seconds: 90);
        var run = example.JobRuns("migration-status").First(r => r.Trigger == JobTrigger.Schedule && r.Outcome != JobOutcome.Running);
        Assert.True(run.Outcome == JobOutcome.Succeeded, $"{run.Outcome}: {run.Message}\n{run.LogTail}");
        Assert.Contains("migrate.sh: schema version", run.LogTail, StringComparison.Ordinal);

        await example.StopCleanAsync();
    }
}
