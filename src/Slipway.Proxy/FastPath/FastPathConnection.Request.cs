using Microsoft.AspNetCore.Http;

namespace Slipway.Proxy.FastPath;

internal sealed partial class FastPathConnection
{
    /// <summary>Room for the head (at most <see cref="RequestHead.MaxLength"/>), its host again and the added headers.</summary>
    private const int SendBufferSize = (2 * RequestHead.MaxLength) + 1024;

    /// <summary>
    /// The backend's request head, as the general path builds it: the client's method and target verbatim, the
    /// end-to-end headers byte for byte in the client's order, Host the endpoint's authority (first) or with
    /// <c>preserveHost</c> the client's (after them), in the places SocketsHttpHandler puts them, hop-by-hop ones and the client's own identity claims dropped, then X-Forwarded-Host,
    /// X-Forwarded-For, X-Real-IP, X-Forwarded-Proto and X-Request-Id set by the proxy.
    /// </summary>
    private int WriteRequest(byte[] send, ReadOnlySpan<byte> authority, bool preserveHost)
    {
        var head = _head;
        var host = head.Value(head.Host);
        var writer = new SpanWriter(send);
        writer.Put(head.Buffer.AsSpan(0, head.TargetStart + head.TargetLength));
        writer.Put(" HTTP/1.1\r\n"u8);
        if (!preserveHost)
        {
            // SocketsHttpHandler writes the URI's authority first when the request names no Host.
            writer.Put("Host: "u8);
            writer.Put(authority);
            writer.Put("\r\n"u8);
        }

        for (var i = 0; i < head.HeaderCount; i++)
        {
            if (head.Headers[i].Forward)
            {
                writer.Put(head.Name(i));
                writer.Put(": "u8);
                writer.Put(head.Value(i));
                writer.Put("\r\n"u8);
            }
        }

        if (preserveHost)
        {
            // The general path adds the client's Host after the copied headers, and it is sent in that order.
            writer.Put("Host: "u8);
            writer.Put(host);
            writer.Put("\r\n"u8);
        }

        if (!ReferenceEquals(head.Method, HttpMethods.Get) && !ReferenceEquals(head.Method, HttpMethods.Head)
            && !ReferenceEquals(head.Method, HttpMethods.Options) && !ReferenceEquals(head.Method, HttpMethods.Delete))
        {
            // SocketsHttpHandler frames a bodiless POST, PUT or PATCH explicitly, and so do we.
            writer.Put("Content-Length: 0\r\n"u8);
        }

        writer.Put("X-Forwarded-Host: "u8);
        writer.Put(host);
        writer.Put("\r\nX-Forwarded-For: "u8);
        writer.Put(ClientAddressBytes);
        writer.Put("\r\nX-Real-IP: "u8);
        writer.Put(ClientAddressBytes);
        writer.Put("\r\nX-Forwarded-Proto: http\r\nX-Request-Id: "u8);
        writer.Put(_requestId.AsSpan(0, _requestIdLength));
        writer.Put("\r\n\r\n"u8);
        return writer.Written;
    }

    /// <summary>Appends to a byte array the caller sized for the worst case.</summary>
    private ref struct SpanWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Written { get; private set; }

        public void Put(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_destination[Written..]);
            Written += bytes.Length;
        }
    }
}
