namespace Slipway.EndToEnd.Tests.Dashboard;

/// <summary>One shop daemon and one browser shared by <see cref="DashboardTests"/>; each test opens its own browser context.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    internal DashboardDaemon Daemon { get; } = new();

    internal DashboardBrowser Browser { get; } = new();

    public async Task InitializeAsync()
    {
        await Browser.StartAsync();
        await Daemon.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}
