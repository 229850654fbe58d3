using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Slipway.EndToEnd.Tests.Dashboard;

/// <summary>The daemon stops under an open dashboard and comes back: the page says it is down, then reconnects by itself.</summary>
public sealed class DashboardRestartTests
{
    [Fact]
    public async Task DaemonRestart_UnderAnOpenOverview_ShowsDownThenReconnectsWithoutReload()
    {
        await using var browser = new DashboardBrowser();
        await browser.StartAsync();
        await using var daemon = new DashboardDaemon();
        await daemon.StartAsync();
        await using var tab = await browser.OpenAsync(daemon.Url);
        await tab.SignInAsync(daemon.AdminToken);
        await tab.Page.EvaluateAsync("window.notReloaded = true");

        await daemon.StopAsync();
        var banner = tab.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "not answering" });
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(tab.TestId("service-api")).ToBeVisibleAsync(); // what it showed stays, under the banner
        await DashboardBrowser.ScreenshotAsync(tab.Page, "overview-daemon-down");

        await daemon.StartAsync();
        await Expect(banner).ToBeHiddenAsync(new() { Timeout = 60_000 });
        Assert.True(await tab.Page.EvaluateAsync<bool>("window.notReloaded === true"), "the page was reloaded");

        // The live stream is back: a change made elsewhere shows without a reload.
        using (var client = daemon.Client())
        {
            using var response = await client.PostAsync("/api/v1/services/web/scale", new StringContent("""{"replicas":2}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await Expect(tab.Page.GetByRole(AriaRole.Table, new() { Name = "Services" })).ToContainTextAsync("web-", new() { Timeout = 30_000 });
        await Expect(tab.Page.Locator("[data-testid=service-web] >> xpath=ancestor::tr")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("web-\\S+ ready.*web-\\S+ ready"), new() { Timeout = 60_000 });
    }
}
