using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Slipway.Core.Routing;

namespace Slipway.Proxy.Tests.Support;

/// <summary>
/// A backend on a bare socket: it records each request head (and reads a Content-Length or chunked body) and
/// answers with the bytes the test gives it, however malformed; it counts connections, so tests can see reuse.
/// </summary>
internal sealed class RawBackend : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, RawAnswer> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly Task _accepting;
    private int _connections;
    private int _open;

    private RawBackend(Func<string, RawAnswer> answer)
    {
        _answer = answer;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections the backend accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Connections open now: accepted and not yet closed by either side.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Every request head received, in order (the body follows it, when there was one).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public EndpointModel Endpoint(string id = "raw") => new(id, "127.0.0.1", Port, 1);

    public static RawBackend Start(Func<string, RawAnswer> answer) => new(answer);

    /// <summary>Answers every request 200 with <c>ok</c>.</summary>
    public static RawBackend StartOk() => new(_ => RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            Interlocked.Increment(ref _open);
            _clients.Add(client);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var stream = client.GetStream();
        var pending = new List<byte>();
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var head = await ReadHeadAsync(stream, pending, buffer);
                if (head is null)
                {
                    return;
                }

                var body = await ReadBodyAsync(stream, pending, buffer, head);
                Requests.Enqueue(head + body);
                var answer = _answer(head);
                await stream.WriteAsync(answer.Bytes, _stop.Token);
                foreach (var (before, bytes) in answer.Then ?? [])
                {
                    await before();
                    await stream.WriteAsync(bytes, _stop.Token);
                }

                if (answer.Close)
                {
                    client.Client.Shutdown(SocketShutdown.Both);
                    client.Dispose();
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The proxy closed the connection.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task<string?> ReadHeadAsync(NetworkStream stream, List<byte> pending, byte[] buffer)
    {
        while (true)
        {
            var text = Encoding.Latin1.GetString([.. pending]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                pending.RemoveRange(0, end + 4);
                return text[..(end + 4)];
            }

            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    private async Task<string> ReadBodyAsync(NetworkStream stream, List<byte> pending, byte[] buffer, string head)
    {
        var lines = head.Split("\r\n");
        var length = lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var chunked = lines.Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase));
        var wanted = length is null ? 0 : int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        while (true)
        {
            var text = Encoding.Latin1.GetString([.. pending]);
            var end = chunked ? ChunkedEnd(text) : -1;
            if (chunked ? end >= 0 : pending.Count >= wanted)
            {
                var take = chunked ? end : wanted;
                pending.RemoveRange(0, take);
                return text[..take];
            }

            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return text;
            }

            pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    /// <summary>Where a chunked body (sizes, extensions, trailers) ends in <paramref name="text"/>, or -1 while it has not.</summary>
    private static int ChunkedEnd(string text)
    {
        var position = 0;
        while (true)
        {
            var lineEnd = text.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                return -1;
            }

            var sizeText = text[position..lineEnd].Split(';')[0].Trim();
            if (!long.TryParse(sizeText, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var size))
            {
                // Not chunked as far as this backend can tell: the body is whatever arrived.
                return text.Length;
            }

            position = lineEnd + 2;
            if (size == 0)
            {
                var end = text.IndexOf("\r\n\r\n", lineEnd, StringComparison.Ordinal);
                return end < 0 ? -1 : end + 4;
            }

            if (text.Length < position + size + 2)
            {
                return -1;
            }

            position += (int)size + 2;
        }
    }

    /// <summary>Writes <paramref name="text"/> on every connection still open, unasked (a server's 408 before it closes an idle one).</summary>
    public async Task SayToAllAsync(string text)
    {
        foreach (var client in _clients)
        {
            if (client.Connected)
            {
                await client.GetStream().WriteAsync(Encoding.Latin1.GetBytes(text), _stop.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _accepting;
        _stop.Dispose();
    }
}

/// <summary>
/// What <see cref="RawBackend"/> sends back, and whether it closes the connection after; <paramref name="Then"/>: more
/// writes after the first, each once its task (the test's signal) completes, so an answer can trickle in.
/// </summary>
internal sealed record RawAnswer(byte[] Bytes, bool Close = false, IReadOnlyList<(Func<Task> Before, byte[] Bytes)>? Then = null)
{
    public static RawAnswer Of(string text, bool close = false) => new(Encoding.Latin1.GetBytes(text), close);

    /// <summary><paramref name="first"/> at once, then each part in its own write once its task completed.</summary>
    public static RawAnswer InParts(string first, params (Func<Task> Before, string Text)[] then) =>
        new(Encoding.Latin1.GetBytes(first), Then: [.. then.Select(part => (part.Before, Encoding.Latin1.GetBytes(part.Text)))]);
}
