using Xunit.Abstractions;

namespace Slipway.EndToEnd.Tests.Examples;

/// <summary>
/// examples/bharathva from nothing: PostgreSQL initialised and started before the services that depend on it, the
/// gateway reaching auth, tweet and user on their internal ports, the auth service's canary 5 → 25 → 50 → 100 % run
/// outside its Sunday window only with --force, after a backup and a Flyway migration that logged in with the
/// database password, under load with no failed request; then a clean stop.
/// </summary>
[Collection(ExamplesCollection.Name)]
public sealed class BharathvaExampleTests(ITestOutputHelper output)
{
    private const string Password = "bharathva-e2e-password";

    [Fact]
    public async Task Up_Bharathva_GatewayReachesServicesAndAuthCanaryAfterBackupAndMigrationFailsNoRequest()
    {
        await using var example = new ExampleDaemon("bharathva",
            new Dictionary<string, string> { ["DB_PASSWORD"] = Password, ["JWT_SECRET"] = "jwt-e2e" },
            // Hours of watching each step are seconds here; the steps themselves are the example's.
            ("pause: 1h", "pause: 3s"), ("pause: 2h", "pause: 3s"), ("pause: 4h", "pause: 3s"), ("interval: 10s", "interval: 1s"));
        await example.StartAsync();
        await example.UntilReadyAsync(new Dictionary<string, int> { ["db"] = 1, ["auth"] = 2, ["tweet"] = 2, ["user"] = 2, ["gateway"] = 3 }, seconds: 180);

        // Start order: the database was ready before any service that depends on it started.
        var dbReady = example.Events("db").First(e => e.Kind == "ready").Time;
        Assert.All(new[] { "auth", "tweet", "user" }, s => Assert.True(example.Events(s).First(e => e.Kind == "started").Time >= dbReady, $"{s} started before db was ready"));

        using var client = example.Client();
        foreach (var (path, upstream) in new[] { ("/api/auth/register/health", "auth-"), ("/api/tweets/42", "tweet-"), ("/api/users/7", "user-") })
        {
            using var response = await example.UntilOkAsync(client, path);
            Assert.StartsWith("gateway-", response.Headers.GetValues("X-Demo-Instance").Single(), StringComparison.Ordinal);
            Assert.StartsWith(upstream, response.Headers.GetValues("X-Demo-Upstream-Instance").Single(), StringComparison.Ordinal);
        }

        // The Sunday 02:00-04:00 UTC window holds a deploy back (unless this runs inside it).
        var now = DateTimeOffset.UtcNow;
        if (now.DayOfWeek != DayOfWeek.Sunday || now.Hour is < 2 or >= 4)
        {
            var (refused, refusal) = await example.CliAsync("deploy", "auth", "--version", "2");
            Assert.True(refused != 0, refusal);
            Assert.Contains("Sun 02:00-04:00 UTC", refusal, StringComparison.Ordinal);
        }

        var load = new LoadGenerator(new Uri(example.Edge, "/api/auth/"), manyClients: true);
        int exit;
        string deploy;
        await using (load)
        {
            (exit, deploy) = await example.CliAsync("deploy", "auth", "--version", "2", "--force", "--wait", "--reason", "e2e");
        }

        output.WriteLine(load.Report());
        Assert.True(exit == 0, deploy);
        Assert.Contains("promoted", deploy, StringComparison.Ordinal);
        Assert.True(load.Failures == 0, load.Report());
        Assert.True(load.Requests > 100, load.Report());
        var auth = example.Events("auth");
        var steps = auth.Where(e => e.Kind == "rollout-step").Select(e => e.Message).ToList();
        Assert.Contains(steps, m => m.StartsWith("backupFirst bharathva-db", StringComparison.Ordinal));
        foreach (var weight in new[] { 5, 25, 50 })
        {
            Assert.Contains(steps, m => m.Contains($": {weight}% to revision", StringComparison.Ordinal));
        }

        Assert.Single(example.Events("bharathva-db"), e => e.Kind == "backup-succeeded");
        // Flyway logged in over TCP with the password (scram-sha-256) and applied both migrations up to version 2.
        Assert.Equal("V1__users.sql,V2__sessions.sql",
            await example.SqlAsync(15432, "bharathva", Password, "select string_agg(script, ',' order by version) from flyway_schema_history"));

        await example.StopCleanAsync();
    }
}
