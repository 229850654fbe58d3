using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Control.State;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Server.Tests;

public sealed class SlipwayDaemonTests
{
    [Fact]
    public async Task StartAsync_ApiPortTaken_SaysSoAndReleasesWhatItTook()
    {
        using var dir = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var daemon = Daemon(dir, new HostPort("127.0.0.1", port));
        var error = new StringWriter();

        var running = await daemon.StartAsync(TextWriter.Null, error, CancellationToken.None);

        Assert.Null(running);
        Assert.Equal($"slipway: the control API (--api 127.0.0.1:{port}): 127.0.0.1:{port} is already in use by another process (choose another port, or stop what listens there)",
            error.ToString().Trim());
        using var again = StateDirectoryLock.TryAcquire(dir.Combine("state"), out var lockError);
        Assert.True(again is not null, $"the state lock was kept: {lockError}");
    }

    [Fact]
    public async Task StartAsync_StateLockHeld_SaysWhoHoldsIt()
    {
        using var dir = new TempDirectory();
        using var held = StateDirectoryLock.TryAcquire(dir.Combine("state"), out _);
        var error = new StringWriter();

        var running = await Daemon(dir, new HostPort("127.0.0.1", 0)).StartAsync(TextWriter.Null, error, CancellationToken.None);

        Assert.Null(running);
        Assert.Contains("already running", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_Started_StopsAndReleasesTheStateLock()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        var running = await Daemon(dir, new HostPort("127.0.0.1", 0)).StartAsync(output, output, CancellationToken.None);
        Assert.NotNull(running);

        await running.StopAsync();

        Assert.EndsWith("slipway: stopped" + Environment.NewLine, output.ToString(), StringComparison.Ordinal);
        using var again = StateDirectoryLock.TryAcquire(dir.Combine("state"), out var lockError);
        Assert.True(again is not null, $"the state lock was kept: {lockError}");
    }

    /// <summary>A daemon with one upstream service (nothing to start) and no edge proxy.</summary>
    private static SlipwayDaemon Daemon(TempDirectory dir, HostPort api)
    {
        var path = dir.Combine("slipway.yaml");
        File.WriteAllText(path, """
            app: t
            services:
              legacy:
                upstream: ["127.0.0.1:9"]
            """);
        var loaded = ManifestLoader.LoadFile(path);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.FormattedErrors));
        return new SlipwayDaemon(loaded.Manifest!, new DaemonOptions
        {
            ManifestPath = path,
            StateDirectory = dir.Combine("state"),
            Api = api,
            DataPlane = DataPlane.None(),
        }, TimeProvider.System, NullLoggerFactory.Instance);
    }
}
