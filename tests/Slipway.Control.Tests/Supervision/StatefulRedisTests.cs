using System.Net;
using System.Net.Sockets;
using Slipway.Testing;

namespace Slipway.Control.Tests.Supervision;

/// <summary>
/// A stateful service run for real (Debian's redis-server): one instance on a fixed port, its address given to the
/// others, a data directory that outlives the supervisor, replaced stop-then-start, waiting for a port held by another.
/// </summary>
public sealed class StatefulRedisTests
{
    private static string Manifest(int? port, string extra = "") => $$"""
        app: t
        services:
          cache:
            stateful: true
            {{(port is { } p ? $"port: {p}" : "")}}
            run:
              command: redis-server
              args: ["--port", "${PORT}", "--bind", "127.0.0.1", "--dir", "${DATA_DIR}", "--save", "", "--appendonly", "yes"]
            stop: { gracePeriod: 20s }
          api:
            dependsOn: [cache]
            run: { command: sh, args: ["-c", "echo \"$SLIPWAY_CACHE_URL\" > url; exec sleep 60"] }
            stop: { gracePeriod: 1s }
        {{extra}}
        """;

    [Fact]
    public async Task Start_StatefulRedis_FixedPortUrlGivenToOthersAndDataKeptAcrossSupervisors()
    {
        ExternalTool.Require("redis-server", "redis-server");
        var port = FreePort.Next();
        await using var f = new SupervisorFixture(Manifest(port));
        await f.Supervisor.StartAsync();

        await Wait.UntilAsync(() => File.Exists(f.Directory.Combine("url")) && File.ReadAllText(f.Directory.Combine("url")).Trim().Length > 0, "api to start and write the url", seconds: 60);
        Assert.Equal($"redis://127.0.0.1:{port}", File.ReadAllText(f.Directory.Combine("url")).Trim());
        var cache = Assert.Single(f.Supervisor.Instances(), i => i.Service == "cache");
        Assert.Equal(port, cache.Port);
        Assert.Equal(port, f.Supervisor.StatefulPortOf("cache"));
        Assert.Equal("OK", await Redis(port, "SET", "greeting", "kept"));

        await f.Supervisor.StopAsync();
        var dataDirectory = Path.Combine(f.StateDirectory, "data", "cache");
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(dataDirectory));

        await using var again = f.Restarted();
        await again.StartAsync();
        await Wait.UntilAsync(() => again.Instances().Any(i => i.Service == "cache" && i.Ready), "the cache to be ready again", seconds: 60);
        Assert.Equal("kept", await Redis(port, "GET", "greeting"));
    }

    [Fact]
    public async Task Restart_Stateful_OldInstanceGoneBeforeTheNewOneStarts()
    {
        ExternalTool.Require("redis-server", "redis-server");
        await using var f = new SupervisorFixture(Manifest(FreePort.Next()));
        await f.Supervisor.StartAsync();
        await Wait.UntilAsync(() => f.Supervisor.Instances().Any(i => i.Service == "cache" && i.Ready), "the cache to be ready", seconds: 60);

        var notReady = await f.Supervisor.RestartAsync("cache");

        Assert.Empty(notReady);
        var cache = f.Events.Where(e => e.Service == "cache").ToList();
        var stopped = cache.FindIndex(e => e.Kind == "stopped" && e.Instance == "cache-1-0");
        var started = cache.FindIndex(e => e.Kind == "started" && e.Instance == "cache-1-1");
        Assert.True(stopped >= 0 && started > stopped, string.Join("\n", cache.Select(e => $"{e.Instance} {e.Kind} {e.Message}")));
        Assert.Equal("cache-1-1", Assert.Single(f.Supervisor.Instances(), i => i.Service == "cache").Id);
    }

    [Fact]
    public async Task Start_StatefulWithoutPort_ChoosesOneAndKeepsItForTheNextStart()
    {
        ExternalTool.Require("redis-server", "redis-server");
        await using var f = new SupervisorFixture(Manifest(null));
        await f.Supervisor.StartAsync();
        await Wait.UntilAsync(() => f.Supervisor.Instances().Any(i => i.Service == "cache" && i.Ready), "the cache to be ready", seconds: 60);
        var chosen = f.Supervisor.StatefulPortOf("cache")!.Value;
        Assert.Equal(chosen, f.Store.StatefulPort("cache"));
        await f.Supervisor.StopAsync();

        await using var again = f.Restarted();
        await again.StartAsync();

        Assert.Equal(chosen, again.StatefulPortOf("cache"));
    }

    [Fact]
    public async Task Start_FixedPortHeldByAnotherProcess_WaitsSayingSoThenStartsOnceFree()
    {
        ExternalTool.Require("redis-server", "redis-server");
        var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var f = new SupervisorFixture(Manifest(port).Replace("stop: { gracePeriod: 20s }", "stop: { gracePeriod: 20s }\n    restart: { backoff: 200ms, maxBackoff: 1s }", StringComparison.Ordinal));
        try
        {
            await f.Supervisor.StartAsync();
            await Wait.UntilAsync(() => f.Of("start-failed").Any(e => e.Service == "cache"), "the start to be refused", seconds: 30);
            Assert.Contains($"port {port} is in use by another process", f.Of("start-failed").First(e => e.Service == "cache").Message, StringComparison.Ordinal);
            Assert.DoesNotContain(f.Events, e => e.Service == "api" && e.Kind == "started");
        }
        finally
        {
            squatter.Stop();
        }

        await Wait.UntilAsync(() => f.Supervisor.Instances().Any(i => i.Service == "cache" && i.Ready), "the cache to start once the port is free", seconds: 60);
        await Wait.UntilAsync(() => f.Events.Any(e => e.Service == "api" && e.Kind == "started"), "api to start after its dependency", seconds: 30);
    }

    [Fact]
    public async Task Stop_DependentStopsBeforeWhatItDependsOn()
    {
        ExternalTool.Require("redis-server", "redis-server");
        await using var f = new SupervisorFixture(Manifest(FreePort.Next()));
        await f.Supervisor.StartAsync();
        await Wait.UntilAsync(() => f.Supervisor.Instances().Count(i => i.Ready) == 2, "both to be ready", seconds: 60);

        await f.Supervisor.StopAsync();

        var kinds = f.Events.Select(e => (e.Service, e.Kind)).ToList();
        var apiStopped = kinds.FindIndex(e => e is ("api", "stopped" or "killed"));
        var cacheStopping = kinds.FindIndex(e => e is ("cache", "stopping"));
        Assert.True(apiStopped >= 0 && cacheStopping > apiStopped, string.Join("\n", kinds));
    }

    [Fact]
    public async Task Start_DependentWaitsForItsDependencyToBeReady()
    {
        ExternalTool.Require("redis-server", "redis-server");
        await using var f = new SupervisorFixture(Manifest(FreePort.Next()));
        await f.Supervisor.StartAsync();
        await Wait.UntilAsync(() => f.Events.Any(e => e.Service == "api" && e.Kind == "started"), "api to start", seconds: 60);

        var events = f.Events.ToList();
        var waiting = events.FindIndex(e => e.Service == "api" && e.Kind == "waiting");
        var cacheReady = events.FindIndex(e => e.Service == "cache" && e.Kind == "ready");
        var apiStarted = events.FindIndex(e => e.Service == "api" && e.Kind == "started");
        Assert.True(waiting >= 0 && waiting < cacheReady && cacheReady < apiStarted, string.Join("\n", events.Select(e => $"{e.Service} {e.Kind} {e.Message}")));
        Assert.Equal("waiting for cache to be ready (dependsOn)", events[waiting].Message);
    }

    private static async Task<string> Redis(int port, params string[] command)
    {
        var cli = ExternalTool.Require("redis-cli", "redis-tools");
        var (code, output) = await ExternalTool.RunAsync(cli, ["-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. command]);
        Assert.Equal(0, code);
        return output.Trim();
    }
}
