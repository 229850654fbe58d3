using System.Net;
using static Microsoft.Playwright.Assertions;

namespace Slipway.EndToEnd.Tests.Dashboard;

/// <summary>The page's event stream when the daemon refuses it while up: said on the page, asked for again calmly.</summary>
public sealed partial class DashboardTests
{
    /// <summary>The streams one token may hold at once (the daemon's StreamRegistry.DefaultPerToken).</summary>
    private const int StreamsPerToken = 10;

    [Fact]
    public async Task Redraw_WhileAFormIsFilledIn_KeepsWhatWasTypedAndLeavesUntouchedFieldsToTheNewValues()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);

        // dom.js's replace() is what every live update redraws with (a rollout's events redraw the deploy form).
        var kept = await tab.Page.EvaluateAsync<string[]>("""
            async () => {
              const { h, replace } = await import('/dashboard/dom.js');
              const panel = h('div', {});
              document.body.append(panel);
              const draw = replicas => [h('input', { 'data-key': 'version' }), h('input', { 'data-key': 'replicas', value: replicas })];
              replace(panel, ...draw('3'));
              panel.querySelector('[data-key="version"]').value = '4';
              replace(panel, ...draw('5'));
              const values = [...panel.querySelectorAll('input')].map(i => i.value);
              panel.remove();
              return values;
            }
            """);

        Assert.Equal(["4", "5"], kept);
    }

    [Fact]
    public async Task LiveStream_RefusedBecauseTheTokenHoldsAllItsStreams_PageSaysSoThenRecoversWhenOneCloses()
    {
        var token = await _daemon.TokenAsync("streams-" + Guid.NewGuid().ToString("N")[..6], "viewer");
        using var client = _daemon.Client(token);
        var held = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < StreamsPerToken; i++)
            {
                var stream = await client.GetAsync("/api/v1/events/stream", HttpCompletionOption.ResponseHeadersRead);
                held.Add(stream);
                Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            }

            await using var tab = await _browser.OpenAsync(_daemon.Url);
            var requests = 0;
            tab.Page.Request += (_, request) => requests += request.Url.EndsWith("/api/v1/events/stream", StringComparison.Ordinal) ? 1 : 0;
            await tab.SignInAsync(token);
            var notice = tab.Page.Locator("#notice");
            await Expect(notice).ToContainTextAsync("Live updates are not coming through", new() { Timeout = 30_000 });
            await tab.Page.WaitForTimeoutAsync(3000);
            // Asked for again after a pause each time, not in a loop: a handful in these seconds, not hundreds.
            Assert.InRange(requests, 2, 12);

            held[0].Dispose();
            held.RemoveAt(0);
            await Expect(notice).ToBeHiddenAsync(new() { Timeout = 30_000 });
            Assert.True(tab.Errors.All(e => e.Contains("429", StringComparison.Ordinal) || e.Contains("401", StringComparison.Ordinal)), string.Join("\n", tab.Errors));
        }
        finally
        {
            foreach (var stream in held)
            {
                stream.Dispose();
            }
        }
    }
}
