using System.Net;
using System.Text.Json.Nodes;
using Slipway.Testing;

namespace Slipway.Control.Tests.Notifications;

/// <summary>An HTTP server on 127.0.0.1 that records every POST body (as JSON) and answers 200, or 500 while told to fail.</summary>
internal sealed class LocalReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Lock _lock = new();
    private readonly List<(string Path, JsonNode Body)> _received = [];
    private int _failures;

    public LocalReceiver()
    {
        // HttpListener cannot bind port 0; a free port may be taken before Start, so a few tries.
        for (var attempt = 1; ; attempt++)
        {
            Url = $"http://127.0.0.1:{FreePort.Next()}/";
            _listener.Prefixes.Add(Url);
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Prefixes.Clear();
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>Answer 500 to this many more requests (they are still recorded).</summary>
    public int FailNext
    {
        set => Interlocked.Exchange(ref _failures, value);
    }

    public IReadOnlyList<(string Path, JsonNode Body)> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: after Stop, Close would look the endpoint up again and may bind the port anew.
        _listener.Close();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
            lock (_lock)
            {
                _received.Add((context.Request.Url!.AbsolutePath, body));
            }

            context.Response.StatusCode = Interlocked.Decrement(ref _failures) >= 0 ? 500 : 200;
            context.Response.Close();
        }
    }
}
