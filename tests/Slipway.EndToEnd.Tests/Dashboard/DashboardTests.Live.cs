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

    /// <summary>
    /// The stream ends and is opened again at once (the daemon answered /healthz all along): what happened in between
    /// came on no stream, so the page fetches its state again. Before, only a reconnect after an outage did, and the
    /// service page's rollout panel (which no poll refreshes) showed the old state until the rollout's next event.
    /// </summary>
    [Fact]
    public async Task LiveStream_EndsAndReopensAtOnce_ThePageFetchesItsStateAgain()
    {
        await using var tab = await _browser.OpenAsync(_daemon.Url);
        await tab.SignInAsync(_daemon.AdminToken);
        await tab.GoAsync("#/services/api", "api");

        // Counted from the reload on: the page's state fetches (only its refresh asks for the revisions; the instances
        // panel's poll asks for the service too), and how many there were when the stream was asked for again.
        var (streams, stateFetches, fetchesAtReopen) = (0, 0, -1);
        var rendered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tab.Page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/api/v1/events/stream", StringComparison.Ordinal) && Interlocked.Increment(ref streams) == 2)
            {
                Volatile.Write(ref fetchesAtReopen, Volatile.Read(ref stateFetches));
            }
        };
        tab.Page.RequestFinished += (_, request) =>
        {
            if (request.Url.EndsWith("/api/v1/services/api/revisions", StringComparison.Ordinal) && Interlocked.Increment(ref stateFetches) == 1)
            {
                rendered.TrySetResult();
            }
        };
        var ended = 0;
        await tab.Page.RouteAsync("**/api/v1/events/stream", async route =>
        {
            if (Interlocked.Exchange(ref ended, 1) == 1)
            {
                await route.ContinueAsync();
                return;
            }

            // The reloaded page's first stream opens, once the page has drawn, and ends with no event.
            await rendered.Task;
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/event-stream", Body = "" });
        });

        await tab.Page.ReloadAsync();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        bool FetchedAfterReopen() => Volatile.Read(ref fetchesAtReopen) >= 0 && Volatile.Read(ref stateFetches) > Volatile.Read(ref fetchesAtReopen);
        while (!FetchedAfterReopen() && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await tab.Page.WaitForTimeoutAsync(100);
        }

        Assert.True(FetchedAfterReopen(), $"the stream was asked for {streams} time(s); the page fetched its state {stateFetches} time(s), {fetchesAtReopen} before the stream was asked for again\n{await tab.DescribeAsync()}");
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
