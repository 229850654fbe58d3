using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Slipway.EndToEnd.Tests.Dashboard;

/// <summary>What a viewer sees and may do, forged requests, sessions that end, and a silence made on the page.</summary>
public sealed partial class DashboardTests
{
    [Fact]
    public async Task Viewer_SeesNoButtons_AndAHandMadePostWithItsCookieIsRefused()
    {
        var token = await _daemon.TokenAsync("viewer-" + Guid.NewGuid().ToString("N")[..6], "viewer");
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(token);
        foreach (var (hash, heading) in new[] { ("#/services/api", "api"), ("#/alerts", "Alerts"), ("#/", "Overview") })
        {
            await tab.GoAsync(hash, heading);
            await Expect(tab.Page.Locator("main button")).ToHaveCountAsync(0);
        }

        await Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Audit" })).ToBeHiddenAsync();
        await DashboardBrowser.ScreenshotAsync(tab.Page, "overview-viewer");

        // With its own CSRF token the session is still only a viewer's: the role check refuses it.
        var status = await tab.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const session = await (await fetch('/api/v1/session')).json();
              const r = await fetch('/api/v1/services/api/scale', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf }, body: '{"replicas": 5}' });
              return { status: r.status, detail: (await r.json()).detail };
            }
            """);
        Assert.Equal(403, status.GetProperty("status").GetInt32());
        Assert.Contains("needs deployer", status.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var api = await _daemon.GetAsync("/api/v1/services/api");
        Assert.Equal(2, api.GetProperty("replicas").GetInt32());
    }

    [Fact]
    public async Task Admin_PostWithoutCsrfTokenOrFromAnotherOrigin_IsRefused()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);
        var missing = await tab.Page.EvaluateAsync<int>("""
            async () => (await fetch('/api/v1/services/api/scale', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"replicas": 5}' })).status
            """);
        Assert.Equal(403, missing);

        // A page on another site cannot read the CSRF token; even a request that carries the cookie and a guessed
        // header is refused for its Origin.
        var cookie = Assert.Single(await tab.Context.CookiesAsync(), c => c.Name == "slipway_session");
        using var client = new HttpClient { BaseAddress = new Uri(_daemon.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/services/api/scale")
        {
            Content = new StringContent("""{"replicas": 5}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Cookie", $"slipway_session={cookie.Value}");
        request.Headers.Add("X-CSRF-Token", "guess");
        using var forged = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("cross-site", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await _daemon.GetAsync("/api/v1/services/api")).GetProperty("replicas").GetInt32());
    }

    [Fact]
    public async Task Session_TokenRevokedWhileThePageIsOpen_GoesToSignInWithAMessage()
    {
        var name = "revoked-" + Guid.NewGuid().ToString("N")[..6];
        var token = await _daemon.TokenAsync(name, "deployer");
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(token);
        using (var admin = _daemon.Client())
        {
            using var response = await admin.DeleteAsync($"/api/v1/tokens/{name}");
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        // The next call the page makes learns it: a live refresh may come first, else going to another page does.
        await tab.Page.EvaluateAsync("location.hash = '#/alerts'");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"the token {name} it was opened with was revoked");
    }

    [Fact]
    public async Task SignOut_ThenBack_AsksToSignInAgain()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("You have signed out.");
        Assert.DoesNotContain(await tab.Context.CookiesAsync(), c => c.Name == "slipway_session");
        await tab.Page.ReloadAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Silence_CreatedOnTheAlertsPage_MutesTheFiringAlert()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);
        await tab.GoAsync("#/alerts", "Alerts");
        // The reports instance never becomes ready, so instance-down fires for it (a canary's instance may fire one too).
        var row = tab.Page.GetByRole(AriaRole.Table, new() { Name = "Alerts" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "service=reports" });
        await Expect(row).ToContainTextAsync("firing", new() { Timeout = 60_000 });
        await Expect(row.GetByTestId("muted")).ToHaveTextAsync("-");

        await row.GetByRole(AriaRole.Button, new() { Name = "Silence instance-down" }).ClickAsync();
        await Expect(tab.Page.GetByLabel("Matchers")).ToHaveValueAsync("alertname=instance-down, service=reports");
        await tab.Page.GetByLabel("Comment").FillAsync("reports is being rebuilt");
        await tab.ActAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Create silence…" }), "Create silence");
        await Expect(row.GetByTestId("muted")).ToContainTextAsync("silence", new() { Timeout = 30_000 });
        await Expect(tab.Page.GetByRole(AriaRole.Table, new() { Name = "Silences" })).ToContainTextAsync("reports is being rebuilt");
        await DashboardBrowser.ScreenshotAsync(tab.Page, "alerts-silenced");

        var firing = (await _daemon.GetAsync("/api/v1/alerts")).EnumerateArray()
            .Single(a => a.GetProperty("name").GetString() == "instance-down" && a.GetProperty("labels").GetProperty("service").GetString() == "reports");
        Assert.Contains("silence", firing.GetProperty("muted").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_SearchThenFollowLive_ANewRequestsLineAppearsWithoutReload()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);
        await tab.GoAsync("#/logs", "Logs");
        await tab.Page.GetByLabel("Service").SelectOptionAsync("api");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("line");

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Follow live" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Following");
        var path = "/followed-" + Guid.NewGuid().ToString("N")[..8];
        using (var client = new HttpClient { BaseAddress = _daemon.Proxy })
        {
            await tab.Page.WaitForTimeoutAsync(500); // the stream is open before the request is made
            using var response = await client.GetAsync(path);
        }

        await Expect(tab.TestId("log-lines")).ToContainTextAsync(path, new() { Timeout = 30_000 });
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Stop following" }).ClickAsync();
    }

    [Fact]
    public async Task Backups_Page_CatalogWithVerificationAndObjectives()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);
        await tab.GoAsync("#/backups", "Backups");
        var catalog = tab.Page.GetByRole(AriaRole.Table, new() { Name = "Catalog of main-db" });
        await Expect(catalog).ToContainTextAsync("main-db-20261203T020000Z");
        await Expect(catalog).ToContainTextAsync("connection to server failed");
        await Expect(tab.Page.Locator("main")).ToContainTextAsync("RTO 1h, RPO 24h");
        await Expect(tab.Page.Locator("main")).ToContainTextAsync("verified main-db-20261203T020000Z");
        await DashboardBrowser.ScreenshotAsync(tab.Page, "backups-catalog");
    }
}
