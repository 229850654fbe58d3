using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Slipway.EndToEnd.Tests.Dashboard;

/// <summary>Maintenance mode switched from the page, seen at the edge.</summary>
public sealed partial class DashboardTests
{
    [Fact]
    public async Task Maintenance_StartedOnTheServicePage_EdgeAnswers503UntilEndedThere()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);
        await tab.GoAsync("#/services/web", "web");
        await Expect(tab.TestId("maintenance-service")).ToContainTextAsync("web is not in maintenance");
        Assert.Equal(HttpStatusCode.OK, await WebThroughTheEdgeAsync());
        var start = tab.Page.GetByRole(AriaRole.Button, new() { Name = "Start maintenance…" });
        try
        {
            // A hold the daemon refuses: its own reason is shown, and nothing changes.
            await tab.Page.GetByLabel("Hold requests for").FillAsync("forever");
            await tab.ActAsync(start, "Start maintenance");
            await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Start maintenance refused (400): hold:");
            Assert.Equal(HttpStatusCode.OK, await WebThroughTheEdgeAsync());

            await tab.Page.GetByLabel("Hold requests for").FillAsync("");
            await tab.ActAsync(start, "Start maintenance");
            await Expect(tab.TestId("maintenance-service")).ToContainTextAsync("maintenance since");
            await Expect(tab.TestId("maintenance-service")).ToContainTextAsync("requests get a 503 with the maintenance page at once");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await WebThroughTheEdgeAsync());
            await DashboardBrowser.ScreenshotAsync(tab.Page, "service-maintenance");

            await tab.GoAsync("#/", "Overview");
            await Expect(tab.TestId("health-web")).ToContainTextAsync("maintenance");
            await Expect(tab.TestId("health-api")).Not.ToContainTextAsync("maintenance");
            await Expect(tab.TestId("maintenance-app")).ToContainTextAsync("The app is not in maintenance");

            await tab.GoAsync("#/services/web", "web");
            await tab.ActAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "End maintenance…" }), "End maintenance");
            await Expect(tab.TestId("maintenance-service")).ToContainTextAsync("web is not in maintenance");
            Assert.Equal(HttpStatusCode.OK, await WebThroughTheEdgeAsync());
        }
        finally
        {
            // Other tests share this daemon: whatever happened above, web leaves maintenance.
            using var admin = _daemon.Client();
            using var _ = await admin.DeleteAsync("/api/v1/maintenance?service=web");
        }

        var audit = await _daemon.GetAsync("/api/v1/audit?since=1h");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("route").GetString() == "/api/v1/maintenance"
            && e.GetProperty("method").GetString() == "PUT" && e.GetProperty("status").GetInt32() == 200
            && e.GetProperty("arguments").GetProperty("service").GetString() == "web");
    }

    private async Task<HttpStatusCode> WebThroughTheEdgeAsync()
    {
        using var client = new HttpClient { BaseAddress = _daemon.Proxy, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "shop.localhost";
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
