using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// Steady browser-like load on a static site until stopped: the index, client-side routes (the SPA fallback), on
/// kept-alive and on new connections. Counts every request, every failure (not a 200, or no answer) and the
/// versions that answered (the page's title ends with vN).
/// </summary>
internal sealed partial class PageLoad : IAsyncDisposable
{
    private static readonly string[] Paths = ["/", "/settings/profile", "/orders/42", "/index.html"];

    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly HttpClient _client;
    private long _requests;
    private long _failures;

    public PageLoad(Uri target, int workersPerKind = 2)
    {
        _target = target;
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(15) };
        for (var i = 0; i < workersPerKind; i++)
        {
            _workers.Add(Task.Run(() => RunAsync(newConnection: false)));
            _workers.Add(Task.Run(() => RunAsync(newConnection: true)));
        }
    }

    public long Requests => Interlocked.Read(ref _requests);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Version → how many pages it answered.</summary>
    public ConcurrentDictionary<string, long> Seen { get; } = new(StringComparer.Ordinal);

    private ConcurrentQueue<string> FailureDetails { get; } = new();

    public string Report() =>
        $"{Requests} requests, {Failures} failed; by version: {string.Join(", ", Seen.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"))}"
        + (FailureDetails.IsEmpty ? "" : ":\n  " + string.Join("\n  ", FailureDetails.Take(20)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(bool newConnection)
    {
        var n = 0;
        while (!_stop.IsCancellationRequested)
        {
            var path = Paths[n++ % Paths.Length];
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_target, path));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
            request.Headers.ConnectionClose = newConnection;
            try
            {
                using var response = await _client.SendAsync(request, _stop.Token);
                var body = await response.Content.ReadAsStringAsync(_stop.Token);
                Interlocked.Increment(ref _requests);
                var version = Title().Match(body) is { Success: true } match ? match.Groups[1].Value : "none";
                Seen.AddOrUpdate(version, 1, (_, count) => count + 1);
                if (response.StatusCode != HttpStatusCode.OK || version == "none")
                {
                    Fail($"GET {path} {(newConnection ? "new-conn" : "keep-alive")}: {(int)response.StatusCode} {body[..Math.Min(80, body.Length)]}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Increment(ref _requests);
                Fail($"GET {path} {(newConnection ? "new-conn" : "keep-alive")}: {e.GetType().Name}: {e.Message}");
            }

            try
            {
                // Paced, so the load leaves the two shared cores to the daemon.
                await Task.Delay(10, _stop.Token);
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

    [GeneratedRegex("<title>(?:[^<]* )?(v[0-9]+)</title>")]
    private static partial Regex Title();
}
