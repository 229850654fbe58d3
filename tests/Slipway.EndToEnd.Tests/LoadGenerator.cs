using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// Steady load on the edge proxy until stopped: keep-alive GETs, GETs on a new connection each, and keep-alive POSTs
/// with a body, without cookies (each request a new user, so a sticky canary still gets its share). Counts every request and every failure (a non-2xx status or no answer) with what went wrong, and
/// when each version first answered.
/// </summary>
internal sealed class LoadGenerator : IAsyncDisposable
{
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly HttpClient _keepAlive;
    private readonly bool _manyClients;
    private readonly string? _host;
    private long _requests;
    private long _failures;

    /// <param name="manyClients">Each request says it comes from a different address (X-Forwarded-For, for a daemon that
    /// trusts loopback as its load balancer), so per-client rate limits see many users rather than one.</param>
    /// <param name="host">The Host header every request carries, for host routes; the target's own when null.</param>
    public LoadGenerator(Uri target, bool posts = true, int workersPerKind = 2, bool manyClients = false, string? host = null)
    {
        _target = target;
        _manyClients = manyClients;
        _host = host;
        _keepAlive = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(15) };
        for (var i = 0; i < workersPerKind; i++)
        {
            _workers.Add(Task.Run(() => RunAsync(_keepAlive, HttpMethod.Get, newConnection: false)));
            _workers.Add(Task.Run(() => RunAsync(_keepAlive, HttpMethod.Get, newConnection: true)));
            if (posts)
            {
                _workers.Add(Task.Run(() => RunAsync(_keepAlive, HttpMethod.Post, newConnection: false)));
            }
        }
    }

    public long Requests => Interlocked.Read(ref _requests);

    public long Failures => Interlocked.Read(ref _failures);

    public ConcurrentQueue<string> FailureDetails { get; } = new();

    /// <summary>Version → when it first answered.</summary>
    public ConcurrentDictionary<string, DateTimeOffset> FirstSeen { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> Answers { get; } = new(StringComparer.Ordinal);

    public string Report() => $"{Requests} requests, {Failures} failed{(FailureDetails.IsEmpty ? "" : ":\n  " + string.Join("\n  ", FailureDetails.Take(20)))}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _keepAlive.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(HttpClient keepAlive, HttpMethod method, bool newConnection)
    {
        var body = Encoding.UTF8.GetBytes("{\"order\": 42, \"items\": [1, 2, 3]}");
        while (!_stop.IsCancellationRequested)
        {
            // Relative to the target, so a target with a path (http://host/api/auth/) loads that prefix.
            using var request = new HttpRequestMessage(method, new Uri(_target, method == HttpMethod.Post ? "orders" : ""));
            if (method == HttpMethod.Post)
            {
                request.Content = new ByteArrayContent(body);
            }

            if (newConnection)
            {
                request.Headers.ConnectionClose = true;
            }

            if (_host is not null)
            {
                request.Headers.Host = _host;
            }

            if (_manyClients)
            {
                request.Headers.Add("X-Forwarded-For", $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}");
            }

            try
            {
                using var response = await keepAlive.SendAsync(request, _stop.Token);
                await response.Content.ReadAsByteArrayAsync(_stop.Token);
                Interlocked.Increment(ref _requests);
                var version = response.Headers.TryGetValues("X-Demo-Version", out var values) ? values.First() : "none";
                FirstSeen.TryAdd(version, DateTimeOffset.UtcNow);
                Answers.AddOrUpdate(version, 1, (_, n) => n + 1);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Fail($"{method} {(newConnection ? "new-conn" : "keep-alive")}: {(int)response.StatusCode} from version {version}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Increment(ref _requests);
                Fail($"{method} {(newConnection ? "new-conn" : "keep-alive")}: {e.GetType().Name}: {e.Message}");
            }

            try
            {
                // Paced, so the load leaves the two shared cores to the daemon and its instances.
                await Task.Delay(15, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Fail(string detail)
    {
        Interlocked.Increment(ref _failures);
        FailureDetails.Enqueue(detail);
    }
}
