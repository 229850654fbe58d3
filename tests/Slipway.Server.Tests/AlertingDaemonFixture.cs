namespace Slipway.Server.Tests;

/// <summary>The <see cref="DaemonFixture"/> daemon with an alert receiver, so silences can be made (notifications go nowhere).</summary>
public sealed class AlertingDaemonFixture : IAsyncLifetime
{
    public DaemonFixture Daemon { get; } = new("""
        alerts:
          receivers:
            hook: { webhook: "http://127.0.0.1:9/hook" }
        """);

    public Task InitializeAsync() => Daemon.InitializeAsync();

    public Task DisposeAsync() => Daemon.DisposeAsync();
}
