using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Maintenance;
using Slipway.Testing;

namespace Slipway.Control.Tests.Maintenance;

public sealed class MaintenanceStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = TestClock.Create();

    [Fact]
    public void TurnOn_SurvivesANewStore_InAFileOnlyTheOwnerReads()
    {
        var store = new MaintenanceStore(_dir.Path, _time);
        store.TurnOn(null, TimeSpan.FromSeconds(30), "<h1>soon</h1>", MaintenanceWindow.HtmlType, "ops");
        store.TurnOn("api", TimeSpan.Zero, "api down", MaintenanceWindow.TextType, "ci");

        var reloaded = new MaintenanceStore(_dir.Path, _time).Current;

        Assert.Equal(new MaintenanceWindow(null, TimeSpan.FromSeconds(30), "<h1>soon</h1>", MaintenanceWindow.HtmlType, _time.GetUtcNow(), "ops"), reloaded.App);
        Assert.Equal("api down", reloaded.Services["api"].Page);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.Combine(MaintenanceStore.FileName)));
        }
    }

    [Fact]
    public void For_AServicesOwnWindowWins_ElseTheApps()
    {
        var store = new MaintenanceStore(_dir.Path, _time);
        store.TurnOn(null, TimeSpan.Zero, "app", MaintenanceWindow.TextType, "ops");
        store.TurnOn("api", TimeSpan.Zero, "api", MaintenanceWindow.TextType, "ops");

        Assert.Equal("api", store.Current.For("api")!.Page);
        Assert.Equal("app", store.Current.For("web")!.Page);
    }

    [Fact]
    public void TurnOff_AService_LeavesTheAppsOwn_AndAllEndsEverything()
    {
        var store = new MaintenanceStore(_dir.Path, _time);
        var changes = new List<MaintenanceState>();
        store.Changed += changes.Add;
        store.TurnOn(null, TimeSpan.Zero, "app", MaintenanceWindow.TextType, "ops");
        store.TurnOn("api", TimeSpan.Zero, "api", MaintenanceWindow.TextType, "ops");

        Assert.True(store.TurnOff("api"));
        Assert.False(store.TurnOff("api"));
        Assert.Equal("app", store.Current.For("api")!.Page);

        Assert.True(store.TurnOff(null));
        Assert.Null(store.Current.For("api"));
        Assert.False(store.TurnOff(null));
        Assert.Equal(6, changes.Count);
        var reloaded = new MaintenanceStore(_dir.Path, _time).Current;
        Assert.Null(reloaded.App);
        Assert.Empty(reloaded.Services);
    }

    public void Dispose() => _dir.Dispose();
}
