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
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
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
        _listener.Stop();
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
