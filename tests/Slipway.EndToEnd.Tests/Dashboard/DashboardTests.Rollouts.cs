using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Slipway.EndToEnd.Tests.Dashboard;

/// <summary>Canaries started from the service page, watched live, rolled back with their numbers shown; refusals in the daemon's words.</summary>
public sealed partial class DashboardTests
{
    [Fact]
    public async Task Deploy_CanaryFromThePage_WeightMovesLiveUntilPromoted()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);
        await tab.GoAsync("#/services/api", "api");
        await WatchingAsync(tab, "api", async () =>
        {
            await tab.Page.EvaluateAsync("window.notReloaded = true");
            var version = "2-" + Guid.NewGuid().ToString("N")[..6];
            await using (new LoadGenerator(_daemon.Proxy, posts: false, workersPerKind: 1))
            {
                await tab.Page.GetByLabel("Version", new() { Exact = true }).FillAsync(version);
                await tab.Page.GetByLabel("Reason").FillAsync("dashboard test");
                await tab.ActAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Deploy…" }), $"Deploy {version}");
                await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("done");

                // The split as the page shows it, without a reload: 20 %, then 50 %, then all on the new revision.
                var weights = tab.TestId("rollout-weights");
                await Expect(weights).ToHaveTextAsync(new Regex(@"r\d+ 20% · r\d+ 80%"), new() { Timeout = 60_000 });
                await DashboardBrowser.ScreenshotAsync(tab.Page, "service-canary-running");
                await Expect(weights).ToHaveTextAsync(new Regex(@"r\d+ 50% · r\d+ 50%"), new() { Timeout = 60_000 });
                await Expect(tab.TestId("rollout-state")).ToHaveTextAsync("promoted", new() { Timeout = 60_000 });
            }

            await Expect(tab.TestId("weights")).ToHaveTextAsync(new Regex(@"^r\d+ 100%$"));
            await Expect(tab.TestId("analysis")).ToContainTextAsync("pass");
            Assert.True(await tab.Page.EvaluateAsync<bool>("window.notReloaded === true"), "the page was reloaded");
            await Expect(tab.Page.GetByRole(AriaRole.Table, new() { Name = "Revisions" })).ToContainTextAsync("dashboard test");
        });
    }

    [Fact]
    public async Task Deploy_FailingCanaryFromThePage_RolledBackWithVerdictAndNumbersShown()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);
        await tab.GoAsync("#/services/api", "api");
        await WatchingAsync(tab, "api", async () =>
        {
            var version = "bad-" + Guid.NewGuid().ToString("N")[..6];
            await using (new LoadGenerator(_daemon.Proxy, posts: false, workersPerKind: 1))
            {
                await tab.Page.GetByLabel("Version", new() { Exact = true }).FillAsync(version);
                await tab.ActAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Deploy…" }), $"Deploy {version}");
                await Expect(tab.TestId("rollout-state")).ToHaveTextAsync("rolled-back", new() { Timeout = 90_000 });
            }

            await Expect(tab.TestId("rollout-message")).ToContainTextAsync("error rate");
            var analysis = tab.TestId("analysis");
            await Expect(analysis).ToContainTextAsync("fail");
            await Expect(analysis).ToContainTextAsync(new Regex(@"canary \d+ requests, stable \d+"));
            await Expect(analysis.GetByRole(AriaRole.Table)).ToContainTextAsync(new Regex(@"\d+(\.\d+)?%"));
            await Expect(tab.TestId("verdicts")).ToContainTextAsync("fail");
            await DashboardBrowser.ScreenshotAsync(tab.Page, "service-canary-rolled-back");
            await Expect(tab.TestId("weights")).ToHaveTextAsync(new Regex(@"^r\d+ 100%$"));
        });
    }

    [Fact]
    public async Task Deploy_WhileARolloutRuns_ShowsTheDaemonsReasonThenAbortEndsIt()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);
        await tab.GoAsync("#/services/api", "api");
        await WatchingAsync(tab, "api", async () =>
        {
            var first = "3-" + Guid.NewGuid().ToString("N")[..6];
            await tab.Page.GetByLabel("Version", new() { Exact = true }).FillAsync(first);
            await tab.ActAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Deploy…" }), $"Deploy {first}");
            await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Abort…" })).ToBeVisibleAsync();

            await tab.Page.GetByLabel("Version", new() { Exact = true }).FillAsync("4");
            await tab.ActAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Deploy…" }), "Deploy 4");
            await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"Deploy 4 refused (409): a rollout of api is already running (revision");
            await DashboardBrowser.ScreenshotAsync(tab.Page, "service-refused");

            await tab.ActAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Abort…" }), "Abort");
            await Expect(tab.TestId("rollout-state")).ToHaveTextAsync("aborted", new() { Timeout = 60_000 });
        });
    }
}
