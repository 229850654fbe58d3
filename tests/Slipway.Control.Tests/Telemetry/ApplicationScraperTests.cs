using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Testing;

namespace Slipway.Control.Tests.Telemetry;

public sealed class ApplicationScraperTests : IAsyncLifetime
{
    private static readonly ScrapeTarget Target = new("api", "2", "api-2-0");
    private static readonly MetricsSpec Spec = new() { Path = "/metrics", Interval = TimeSpan.FromSeconds(5), MaxBytes = new ByteSize(200) };

    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly ScrapeTestServer _server = new();
    private ApplicationMetricsStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ScrapeAsync_ValidText_StoresSeriesWithTargetLabels()
    {
        _server.Respond = () => ScrapeTestServer.Ok("# TYPE demo_payments_failed_total counter\ndemo_payments_failed_total 3\n");
        using var scraper = Scraper();

        Assert.Null(await scraper.ScrapeAsync(Target, _server.Port, Spec, CancellationToken.None));

        var series = Assert.Single(_store.Select("demo_payments_failed_total", new Dictionary<string, string> { ["revision"] = "2" }));
        Assert.Equal(3, series.Value);
        Assert.Equal("counter", series.Type);
        Assert.Equal("api-2-0", series.Label("instance"));
        Assert.Empty(_store.Errors());
    }

    [Fact]
    public async Task ScrapeAsync_Malformed_IsCountedAndKeepsThePreviousSeries()
    {
        using var scraper = Scraper();
        _server.Respond = () => ScrapeTestServer.Ok("up 1\n");
        await scraper.ScrapeAsync(Target, _server.Port, Spec, CancellationToken.None);
        _server.Respond = () => ScrapeTestServer.Ok("up 1\nup{bad=\"\\x\"} 2\n");

        Assert.Equal(ScrapeErrorReasons.Malformed, await scraper.ScrapeAsync(Target, _server.Port, Spec, CancellationToken.None));

        Assert.Single(_store.Select("up", new Dictionary<string, string>()));
        Assert.Equal([("api", ScrapeErrorReasons.Malformed, 1L)], _store.Errors());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ScrapeAsync_OverMaxBytes_IsRejectedWithOrWithoutContentLength(bool contentLength)
    {
        _server.Respond = () => ScrapeTestServer.Ok(string.Concat(Enumerable.Range(0, 60).Select(i => $"m{i} 1\n")), contentLength);
        using var scraper = Scraper();

        Assert.Equal(ScrapeErrorReasons.TooLarge, await scraper.ScrapeAsync(Target, _server.Port, Spec, CancellationToken.None));
        Assert.Equal(0, _store.SeriesCount);
    }

    [Fact]
    public async Task ScrapeAsync_ErrorStatus_IsCounted()
    {
        _server.Respond = () => ScrapeTestServer.Response(500, "boom");
        using var scraper = Scraper();

        Assert.Equal(ScrapeErrorReasons.HttpStatus, await scraper.ScrapeAsync(Target, _server.Port, Spec, CancellationToken.None));
    }

    [Fact]
    public async Task ScrapeAsync_NothingListening_IsUnreachable()
    {
        using var scraper = Scraper();

        Assert.Equal(ScrapeErrorReasons.Unreachable, await scraper.ScrapeAsync(Target, FreePort.Next(), Spec, CancellationToken.None));
    }

    [Fact]
    public async Task ScrapeAsync_NoAnswer_TimesOutOnTheInjectedClock()
    {
        _server.Hang = true;
        using var scraper = Scraper();

        var scrape = scraper.ScrapeAsync(Target, _server.Port, Spec, CancellationToken.None);
        await Wait.UntilAsync(() => _server.Requests == 1, "the scrape to arrive");
        Assert.False(scrape.IsCompleted);
        _time.Advance(Spec.Interval);

        Assert.Equal(ScrapeErrorReasons.Timeout, await scrape.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task ScrapeAsync_OverTheSeriesLimit_KeepsTheFirstSeriesAndCounts()
    {
        _store = new ApplicationMetricsStore(maxSeriesPerInstance: 2);
        _server.Respond = () => ScrapeTestServer.Ok("a 1\nb 2\nc 3\n");
        using var scraper = Scraper();

        Assert.Equal(ScrapeErrorReasons.SeriesLimit, await scraper.ScrapeAsync(Target, _server.Port, Spec, CancellationToken.None));

        Assert.Equal(2, _store.SeriesCount);
        Assert.Empty(_store.Select("c", new Dictionary<string, string>()));
    }

    [Fact]
    public async Task ScrapeServiceAsync_ScrapesReadyInstancesAndForgetsGoneOnes()
    {
        _server.Respond = () => ScrapeTestServer.Ok("up 1\n");
        var manifest = new AppManifest { App = "t", Services = new Dictionary<string, ServiceSpec> { ["api"] = new() { Metrics = Spec } } };
        IReadOnlyList<InstanceStatus> instances =
        [
            Instance("api-2-0", ready: true),
            Instance("api-2-1", ready: false),
        ];
        using var scraper = new ApplicationScraper(manifest, () => instances, _store, _time, NullLogger.Instance);

        await scraper.ScrapeServiceAsync("api", Spec, CancellationToken.None);
        Assert.Equal(["api-2-0"], _store.Select("up", new Dictionary<string, string>()).Select(s => s.Label("instance")));
        Assert.Equal(1, _server.Requests);

        instances = [Instance("api-2-0", ready: false)];
        await scraper.ScrapeServiceAsync("api", Spec, CancellationToken.None);
        Assert.Equal(0, _store.SeriesCount);
    }

    private InstanceStatus Instance(string id, bool ready) =>
        new(id, "api", "2", InstancePhase.Running, ready, 1, _server.Port, 0, false, null, 0, 0);

    private ApplicationScraper Scraper() => new(new AppManifest { App = "t" }, () => [], _store, _time, NullLogger.Instance);
}
