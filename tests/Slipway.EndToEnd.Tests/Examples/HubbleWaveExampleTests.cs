using Slipway.Testing;
using Xunit.Abstractions;

namespace Slipway.EndToEnd.Tests.Examples;

/// <summary>
/// examples/hubblewave from nothing: PostgreSQL and Redis real, the web app and the API by host, AVA at its path,
/// the cache's address given to the API, WAL streaming into the backup destination, and the API's rolling deploy
/// of five instances under load with no failed request; then a clean stop.
/// </summary>
[Collection(ExamplesCollection.Name)]
public sealed class HubbleWaveExampleTests(ITestOutputHelper output)
{
    private const string Api = "api.hubblewave.localhost";

    [Fact]
    public async Task Up_HubbleWave_HostsAnswerCacheAndWalAreRealAndTheApiRollsOutUnderLoad()
    {
        await using var example = new ExampleDaemon("hubblewave", new Dictionary<string, string> { ["DB_PASSWORD"] = "hubblewave-e2e-password" });
        await example.StartAsync();
        await example.UntilReadyAsync(new Dictionary<string, int> { ["db"] = 1, ["cache"] = 1, ["api"] = 5, ["web"] = 3, ["worker"] = 2, ["ava"] = 2 }, seconds: 180);

        using var client = example.Client();
        foreach (var (host, path, instance) in new[] { ("app.hubblewave.localhost", "/dashboard", "web-"), (Api, "/api/tickets", "api-"), (Api, "/api/ava/chat", "ava-") })
        {
            using var response = await example.UntilOkAsync(client, path, host);
            Assert.StartsWith(instance, response.Headers.GetValues("X-Demo-Instance").Single(), StringComparison.Ordinal);
        }

        // The API was given Redis's address, and Redis answers there.
        using (var url = await example.UntilOkAsync(client, "/env/SLIPWAY_CACHE_URL", Api))
        {
            Assert.Equal($"redis://127.0.0.1:{example.Port(36379)}", await url.Content.ReadAsStringAsync());
        }

        var (pingExit, pong) = await ExternalTool.RunAsync("redis-cli", ["-p", example.Port(36379).ToString(System.Globalization.CultureInfo.InvariantCulture), "ping"]);
        Assert.True(pingExit == 0 && pong.Trim() == "PONG", pong);

        var load = new LoadGenerator(example.Edge, manyClients: true, host: Api);
        int exit;
        string deploy;
        await using (load)
        {
            (exit, deploy) = await example.CliAsync("deploy", "api", "--version", "2", "--wait", "--reason", "e2e");
        }

        output.WriteLine(load.Report());
        Assert.True(exit == 0, deploy);
        Assert.True(load.Failures == 0, load.Report());
        Assert.True(load.Requests > 100, load.Report());
        Assert.True(load.Answers.ContainsKey("2"), "version 2 never answered");

        // kind: physical: the daemon streams WAL (pg_receivewal into the destination) from the start.
        var wal = Path.Combine(example.BackupDirectory, "wal", "hubblewave-db");
        await example.Daemon.UntilAsync(() => Directory.Exists(wal) && Directory.EnumerateFiles(wal).Any(), $"WAL in {wal}");

        await example.StopCleanAsync();
    }
}
