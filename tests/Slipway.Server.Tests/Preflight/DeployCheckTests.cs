using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Slipway.Server.Preflight;
using Slipway.Server.Preflight.Checks;
using Slipway.Testing;

namespace Slipway.Server.Tests.Preflight;

/// <summary>The deploy in waiting: windows and freezes on a test clock, the backupFirst database's port for real.</summary>
public sealed class DeployCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task RunAsync_FreezeHoldsAndDatabaseDown_FailsBoth()
    {
        var port = FreePort.Next();
        var context = PreflightSetup.Context(_dir, Manifest(port, "freeze: [ { from: 2026-12-20, to: 2027-01-03, reason: holidays } ]"),
            new FakeTimeProvider(new DateTimeOffset(2026, 12, 24, 12, 0, 0, TimeSpan.Zero)));

        var findings = await PreflightSetup.RunAsync(new DeployCheck(), context);

        Assert.Equal(
            [
                ("services.api.deploy window", PreflightStatus.Fail, "deploys are frozen until 2027-01-03 00:00 UTC (holidays)"),
                ("services.api.deploy.hooks.backupFirst: main-db", PreflightStatus.Fail, $"shop@127.0.0.1:{port}/shop does not accept connections: Connection refused"),
            ],
            findings.Select(f => (f.Subject, f.Status, f.Evidence)));
        Assert.All(findings, f => Assert.Equal("api", f.Service));
    }

    [Fact]
    public async Task RunAsync_WindowOpenAndDatabaseListening_Ok()
    {
        using var database = new TcpListener(IPAddress.Loopback, 0);
        database.Start();
        var port = ((IPEndPoint)database.LocalEndpoint).Port;
        var context = PreflightSetup.Context(_dir, Manifest(port, "windows: [\"Mon-Fri 09:00-17:00 UTC\"]"),
            new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero)));

        var findings = await PreflightSetup.RunAsync(new DeployCheck(), context);

        Assert.Equal(
            [
                ("services.api.deploy window", PreflightStatus.Ok, "open now (Mon-Fri 09:00-17:00 UTC), no freeze"),
                ("services.api.deploy.hooks.backupFirst: main-db", PreflightStatus.Ok, $"shop@127.0.0.1:{port}/shop accepts connections"),
            ],
            findings.Select(f => (f.Subject, f.Status, f.Evidence)));
    }

    public void Dispose() => _dir.Dispose();

    private static string Manifest(int databasePort, string gate) => $$"""
        app: shop
        services:
          api:
            run: { command: sleep, args: ["60"] }
            deploy: { hooks: { backupFirst: main-db }, {{gate}} }
          legacy: { upstream: ["127.0.0.1:9"] }
        backups:
          main-db: { postgres: "postgresql://shop@127.0.0.1:{{databasePort}}/shop", destination: backups }
        """;
}
