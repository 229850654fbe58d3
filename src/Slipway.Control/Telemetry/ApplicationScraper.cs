using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Slipway.Control.Supervision;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;

namespace Slipway.Control.Telemetry;

/// <summary>
/// Scrapes the Prometheus text of every ready instance of each service that declares <c>metrics:</c>, once per
/// <c>metrics.interval</c>, into the <see cref="ApplicationMetricsStore"/>. A scrape gets at most
/// <c>min(interval, 10s)</c> and <c>metrics.maxBytes</c>; one that fails, is too large or does not parse is
/// rejected whole and counted by reason, and the instance's previous series stay until the next good one.
/// </summary>
internal sealed class ApplicationScraper : IDisposable
{
    /// <summary>The longest a scrape may take, whatever the interval (Prometheus' default scrape timeout).</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(10);

    private readonly AppManifest _manifest;
    private readonly Func<IReadOnlyList<InstanceStatus>> _instances;
    private readonly ApplicationMetricsStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _client;

    public ApplicationScraper(AppManifest manifest, Func<IReadOnlyList<InstanceStatus>> instances, ApplicationMetricsStore store, TimeProvider time, ILogger logger)
    {
        _manifest = manifest;
        _instances = instances;
        _store = store;
        _time = time;
        _logger = logger;
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Scrapes every service with <c>metrics:</c> on its own interval until <paramref name="stop"/> fires.</summary>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(_manifest.Services.Where(s => s.Value.Metrics is not null).Select(s => LoopAsync(s.Key, s.Value.Metrics!, stop)));

    /// <summary>One round for one service: forgets instances that are gone, then scrapes each ready one of the service.</summary>
    public async Task ScrapeServiceAsync(string service, MetricsSpec spec, CancellationToken cancellationToken)
    {
        var instances = _instances();
        _store.Retain(instances.Where(i => i.Ready && _manifest.Services.TryGetValue(i.Service, out var s) && s.Metrics is not null)
            .Select(i => i.Id).ToHashSet(StringComparer.Ordinal));
        var ready = instances.Where(i => i.Service == service && i.Ready && i.Port > 0);
        await Task.WhenAll(ready.Select(i => ScrapeAsync(new ScrapeTarget(i.Service, i.Revision, i.Id), i.Port, spec, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Scrapes one instance; returns null when its series were stored, else the <see cref="ScrapeErrorReasons"/> it was counted under.</summary>
    public async Task<string?> ScrapeAsync(ScrapeTarget target, int port, MetricsSpec spec, CancellationToken cancellationToken)
    {
        var (reason, detail, text) = await FetchAsync(port, spec, cancellationToken).ConfigureAwait(false);

        // The daemon runs socket completions inline on the epoll threads (see Program): parsing a
        // large exposition there would stall the proxy's connections, so it moves to the thread pool.
        await Task.Yield();
        var scrape = text is null ? null : PrometheusTextParser.Parse(text);
        if (scrape is { IsValid: false })
        {
            (reason, detail) = (ScrapeErrorReasons.Malformed, scrape.Error!);
        }

        if (reason is not null)
        {
            _store.CountError(target.Service, reason);
            TelemetryLog.ScrapeRejected(_logger, target.Instance, reason, detail!);
            return reason;
        }

        var dropped = _store.Record(target, scrape!, _time.GetUtcNow());
        if (dropped > 0)
        {
            _store.CountError(target.Service, ScrapeErrorReasons.SeriesLimit);
            TelemetryLog.SeriesLimit(_logger, target.Instance, dropped);
            return ScrapeErrorReasons.SeriesLimit;
        }

        return null;
    }

    public void Dispose() => _client.Dispose();

    private async Task LoopAsync(string service, MetricsSpec spec, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await ScrapeServiceAsync(service, spec, stop).ConfigureAwait(false);
                await Task.Delay(spec.Interval, _time, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The daemon is stopping.
        }
    }

    private async Task<(string? Reason, string? Detail, string? Text)> FetchAsync(int port, MetricsSpec spec, CancellationToken cancellationToken)
    {
        var timeout = spec.Interval < MaxTimeout ? spec.Interval : MaxTimeout;
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{spec.Path}";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.ParseAdd("slipway-scraper");
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("text/plain; version=0.0.4"));
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code is < 200 or > 299)
            {
                return (ScrapeErrorReasons.HttpStatus, $"GET {spec.Path} answered {code}", null);
            }

            var max = spec.MaxBytes.Bytes;
            if (response.Content.Headers.ContentLength > max)
            {
                return (ScrapeErrorReasons.TooLarge, $"GET {spec.Path} announced {new ByteSize(response.Content.Headers.ContentLength.Value)}, over metrics.maxBytes {spec.MaxBytes}", null);
            }

            var body = await ReadAtMostAsync(await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false), max, linked.Token).ConfigureAwait(false);
            return body is null
                ? (ScrapeErrorReasons.TooLarge, $"GET {spec.Path} sent more than metrics.maxBytes {spec.MaxBytes}", null)
                : (null, null, Encoding.UTF8.GetString(body));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (ScrapeErrorReasons.Timeout, $"GET {url} gave no complete answer within {DurationText.Format(timeout)}", null);
        }
        catch (HttpRequestException e)
        {
            return (ScrapeErrorReasons.Unreachable, $"GET {url} failed: {e.Message}", null);
        }
        catch (IOException e)
        {
            return (ScrapeErrorReasons.Unreachable, $"GET {url} broke off: {e.Message}", null);
        }
    }

    /// <summary>The whole body, or null as soon as it is longer than <paramref name="max"/> bytes.</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream stream, long max, CancellationToken cancellationToken)
    {
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            while (true)
            {
                var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.ToArray();
                }

                if (buffer.Length + read > max)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
    }
}
