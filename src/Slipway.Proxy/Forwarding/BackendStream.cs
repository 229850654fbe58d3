using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Slipway.Proxy.Forwarding;

/// <summary>
/// The connection to a backend, with two things SocketsHttpHandler lacks over HTTP/1.1.
/// Request trailers: it has no API to send them and ends a chunked request body with a bare last
/// chunk (<c>0\r\n\r\n</c>). While a request whose client sent trailers is being sent (the forwarder
/// marks it in <see cref="Sending"/>), the write that ends with that last chunk gets the trailer
/// fields put in before its final CRLF (RFC 9112 §7.1.2). And reading while a body is sent
/// (<c>BackendStream.ReadAhead.cs</c>).
/// </summary>
internal sealed partial class BackendStream : NetworkStream
{
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    /// <param name="maxReadAhead">The most response bytes held while a request body is still being sent.</param>
    public BackendStream(Socket socket, long maxReadAhead)
        : base(socket, ownsSocket: true)
    {
        _maxReadAhead = maxReadAhead;
    }

    /// <summary>The request whose body is being sent on this flow; flows with the ExecutionContext into the handler's writes.</summary>
    public static AsyncLocal<ProxyContext?> Sending { get; } = new();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Sending.Value is null)
        {
            return base.WriteAsync(buffer, cancellationToken);
        }

        StartReadAhead();
        if (Sending.Value is not { RequestTrailers: { } trailers } context || !buffer.Span.EndsWith(LastChunk))
        {
            return base.WriteAsync(buffer, cancellationToken);
        }

        // Set only once the client's body ended, so this is the last chunk, not data that looks like it.
        context.RequestTrailers = null;
        return WriteWithTrailersAsync(buffer, trailers, cancellationToken);
    }

    private async ValueTask WriteWithTrailersAsync(ReadOnlyMemory<byte> buffer, IHeaderDictionary trailers, CancellationToken cancellationToken)
    {
        var fields = new StringBuilder();
        foreach (var (name, values) in trailers)
        {
            if (!MayForward(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                fields.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        fields.Append("\r\n");
        await base.WriteAsync(buffer[..^2], cancellationToken).ConfigureAwait(false);
        await base.WriteAsync(Encoding.Latin1.GetBytes(fields.ToString()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Framing, routing and hop-by-hop fields never travel as trailers (RFC 9110 §6.5.1).</summary>
    private static bool MayForward(string name) =>
        HeaderRules.ForRequest(name) == HeaderRule.Copy
        && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
        && !name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);
}
