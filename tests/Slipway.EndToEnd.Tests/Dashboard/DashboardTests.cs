using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Slipway.EndToEnd.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (Debian's chromium) against `slipway up` of a small shop: sign-in, every page
/// (accessible, screenshotted, at desktop and phone size, no console error), live canaries, roles, CSRF, silences.
/// Each test leaves no rollout running, so they do not depend on their order.
/// </summary>
public sealed partial class DashboardTests : IClassFixture<DashboardFixture>
{
    private static readonly (string Hash, string Heading, string Name)[] Pages =
    [
        ("#/", "Overview", "overview"),
        ("#/services/api", "api", "service"),
        ("#/alerts", "Alerts", "alerts"),
        ("#/logs", "Logs", "logs"),
        ("#/backups", "Backups", "backups"),
        ("#/audit", "Audit", "audit"),
        ("#/events", "Events", "events"),
    ];

    private readonly DashboardDaemon _daemon;
    private readonly DashboardBrowser _browser;
    private readonly ITestOutputHelper _output;

    public DashboardTests(DashboardFixture fixture, ITestOutputHelper output)
    {
        _daemon = fixture.Daemon;
        _browser = fixture.Browser;
        _output = output;
    }

    /// <summary>
    /// Runs the steps of a test that watches <paramref name="service"/> change on the page; when one fails, the
    /// failure carries what the page showed and called, the service's rollout and instances from the API, and the
    /// daemon's output, so a failure seen once under load can be read rather than guessed at.
    /// </summary>
    private async Task WatchingAsync(DashboardPage tab, string service, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            string page;
            try
            {
                page = await tab.DescribeAsync();
            }
            catch (PlaywrightException gone)
            {
                page = $"(the page could not be read: {gone.Message})";
            }

            Assert.Fail($"{e}\n\n{page}\n\n{await _daemon.DescribeAsync(service)}");
        }
    }

    [Fact]
    public async Task SignIn_AdminToken_OverviewListsTheShopsServices()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.Page.GotoAsync("/");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await DashboardBrowser.AssertAccessibleAsync(tab.Page, "sign-in");
        await DashboardBrowser.ScreenshotAsync(tab.Page, "sign-in");

        await tab.Page.GetByLabel("API token").FillAsync("slw_wrong");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "not valid" })).ToBeVisibleAsync();

        await tab.SignInAsync(_daemon.AdminToken);
        foreach (var service in new[] { "web", "api", "worker", "reports", "legacy" })
        {
            await Expect(tab.TestId($"service-{service}")).ToBeVisibleAsync();
        }

        await Expect(tab.TestId("weights-api")).ToHaveTextAsync(new Regex(@"^r\d+ 100%$"));
        var cookie = Assert.Single(await tab.Context.CookiesAsync(), c => c.Name == "slipway_session");
        Assert.True(cookie.HttpOnly, "the session cookie is HttpOnly");
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.True(cookie.Expires > DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "the session cookie has an expiry");
    }

    [Fact]
    public async Task EveryPage_AdminAtDesktopAndPhoneSize_AccessibleScreenshottedAndNoConsoleError()
    {
        foreach (var (viewport, suffix) in new[] { (DashboardBrowser.Desktop, ""), (DashboardBrowser.Phone, "-phone") })
        {
            await using var tab = await _browser.OpenAsync(_daemon.Url, viewport);
            await tab.SignInAsync(_daemon.AdminToken);
            tab.ClearErrors(); // the first GET /api/v1/session answered 401 before signing in, as it must
            foreach (var (hash, heading, name) in Pages)
            {
                await tab.GoAsync(hash, heading);
                await tab.Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
                await Expect(tab.Page.Locator("main .loading")).ToHaveCountAsync(0);
                await DashboardBrowser.AssertAccessibleAsync(tab.Page, $"{name}{suffix}");
                await DashboardBrowser.ScreenshotAsync(tab.Page, name + suffix);
                var overflow = await tab.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
                Assert.False(overflow, $"{name}{suffix}: the page is wider than the viewport");
            }

            Assert.True(tab.Errors.Count == 0, string.Join("\n", tab.Errors));
        }
    }

    [Fact]
    public async Task Keyboard_TabToANavigationLinkAndPressEnter_OpensThatPage_AndTheSkipLinkReachesTheContent()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);
        await tab.Page.ReloadAsync();
        await Expect(tab.TestId("service-api")).ToBeVisibleAsync();
        await tab.Page.Keyboard.PressAsync("Tab");
        await Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        var alertsLink = tab.Page.GetByRole(AriaRole.Link, new() { Name = "Alerts", Exact = true });
        for (var i = 0; i < 10 && !await alertsLink.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await tab.Page.Keyboard.PressAsync("Tab");
        }

        await tab.Page.Keyboard.PressAsync("Enter");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Alerts", Level = 1 })).ToBeVisibleAsync();
        await Expect(tab.Page.Locator("main")).ToBeFocusedAsync();

        await tab.Page.ReloadAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Alerts", Level = 1 })).ToBeVisibleAsync();
        await tab.Page.Keyboard.PressAsync("Tab");
        await tab.Page.Keyboard.PressAsync("Enter");
        await Expect(tab.Page.Locator("main")).ToBeFocusedAsync();
        Assert.EndsWith("#/alerts", tab.Page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_TransferOfTheWholePage_Under300KB()
    {
        // Signed in through the API, so the page's first load is a cold one: nothing cached, every file fetched.
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        var signIn = await tab.Context.APIRequest.PostAsync("/api/v1/session", new() { DataObject = new { token = _daemon.AdminToken } });
        Assert.Equal(201, signIn.Status);
        var requests = new List<IRequest>();
        tab.Page.RequestFinished += (_, request) => requests.Add(request);
        await tab.Page.GotoAsync("/");
        await Expect(tab.TestId("service-api")).ToBeVisibleAsync();
        await tab.Page.WaitForTimeoutAsync(500);
        long total = 0;
        foreach (var request in requests.ToList())
        {
            var sizes = await request.SizesAsync();
            Assert.NotEqual(304, (await request.ResponseAsync())!.Status);
            total += sizes.ResponseBodySize + sizes.ResponseHeadersSize + sizes.RequestHeadersSize + sizes.RequestBodySize;
        }

        _output.WriteLine($"overview transfer: {total} bytes in {requests.Count} requests ({string.Join(", ", requests.Select(r => new Uri(r.Url).AbsolutePath))})");
        Assert.True(total < 300 * 1024, $"the overview transferred {total} bytes");
    }
}
