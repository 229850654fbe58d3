using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Slipway.EndToEnd.Tests.Dashboard;

/// <summary>
/// A browser whose session cookie the daemon does not know, from an address the daemon slows down after failed
/// authentications: the API answers the page 429, not 401. Its own daemon, since the slow-down holds the whole address
/// (127.0.0.1) and would turn the shared daemon's 401s into 429s for the other tests.
/// </summary>
public sealed class DashboardSlowDownTests
{
    /// <summary>Failed authentications from one address after which the next ones get 429 (AuthFailureLimiter.MaxFailures).</summary>
    private const int MaxFailures = 10;

    [Fact]
    public async Task UnknownSessionCookie_FromASlowedDownAddress_PageSaysWhyAndAValidTokenStillSignsIn()
    {
        await using var browser = new DashboardBrowser();
        await browser.StartAsync();
        await using var daemon = new DashboardDaemon();
        await daemon.StartAsync();
        await using var tab = await browser.OpenAsync(daemon.Url);
        await tab.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "slipway_session", Value = "no-such-session", Url = daemon.Url }]);

        // The slow-down lasts 30 s from the last counted failure: made last, right before the page loads.
        using (var guesser = daemon.Client("slw_wrong"))
        {
            for (var i = 0; i < MaxFailures; i++)
            {
                using var refused = await guesser.GetAsync("/api/v1/services");
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            using var slowed = await guesser.GetAsync("/api/v1/services");
            Assert.Equal(HttpStatusCode.TooManyRequests, slowed.StatusCode);
        }

        // Before, the page's first GET /api/v1/session got that 429, threw, and left the page blank.
        await tab.Page.GotoAsync("/");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        var reason = tab.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "not known to the daemon" });
        await Expect(reason).ToContainTextAsync("too many failed authentications");
        await Expect(reason).ToContainTextAsync("A valid token still signs in");
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeHiddenAsync();
        Assert.DoesNotContain(await tab.Context.CookiesAsync(), c => c.Name == "slipway_session"); // the 429 cleared it
        await DashboardBrowser.AssertAccessibleAsync(tab.Page, "sign-in after a 429");
        await DashboardBrowser.ScreenshotAsync(tab.Page, "sign-in-slowed-down");

        await tab.Page.GetByLabel("API token").FillAsync(daemon.AdminToken);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await Expect(tab.TestId("service-api")).ToBeVisibleAsync();

        // The browser logs the refused fetch itself; nothing else, and nothing uncaught.
        Assert.True(tab.Errors.All(e => e.StartsWith("console:", StringComparison.Ordinal) && e.Contains("429", StringComparison.Ordinal)), string.Join("\n", tab.Errors));
    }
}
