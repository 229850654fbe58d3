using System.Buffers;
using System.Buffers.Text;
using Microsoft.AspNetCore.Http;

namespace Slipway.Proxy.FastPath;

internal sealed partial class FastPathConnection
{
    /// <summary>
    /// Room for this request's head as the backend gets it: its own bytes (target and copied headers), its host once
    /// more (X-Forwarded-Host), and under 1 KiB of the rest (the endpoint's authority, the added headers, the client's
    /// address twice, the request id). Sized by the head at hand, not by the longest one allowed: a rented buffer of
    /// 2 KiB instead of 32 KiB, where the pool's few spare arrays per size are outrun by 64 connections in flight and
    /// every miss allocates the whole array.
    /// </summary>
    private int HeadBufferSize => (2 * _head.Length) + 1024;

    /// <summary>A chunked body's framing as the backend gets it: one size line, the CRLF after the data and the last chunk.</summary>
    private const int ChunkFraming = 32;

    /// <summary>What the request needs in the send buffer: its head and its body.</summary>
    private int SendBufferSize => HeadBufferSize + (int)_head.BodyLength + (_head.Framing == BodyFraming.Chunked ? ChunkFraming : 0);

    /// <summary>The send buffer the connection keeps: room for a head of up to ~500 bytes without a body (most requests).</summary>
    private const int KeptSendBufferSize = 2048;

    /// <summary>The connection's own send buffer, made at its first request that fits.</summary>
    private byte[]? _sendBuffer;

    /// <summary>
    /// A buffer for the backend's request: the connection's own when the request fits, else one rented for its size.
    /// The shared pool's Rent and Return per request were ~0.6 % of the bare host's samples at 64 connections, 19 B.
    /// </summary>
    private byte[] TakeSendBuffer()
    {
        var size = SendBufferSize;
        return size <= KeptSendBufferSize ? _sendBuffer ??= new byte[KeptSendBufferSize] : ArrayPool<byte>.Shared.Rent(size);
    }

    /// <summary>Returns a rented send buffer to the pool (the connection's own stays).</summary>
    private void GiveBackSendBuffer(byte[] send)
    {
        if (!ReferenceEquals(send, _sendBuffer))
        {
            ArrayPool<byte>.Shared.Return(send);
        }
    }

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

        if (head.Framing == BodyFraming.Chunked)
        {
            // The client's own Transfer-Encoding line is hop-by-hop; the backend gets the body re-framed as one chunk.
            writer.Put("Transfer-Encoding: chunked\r\n"u8);
        }
        else if (head.Framing == BodyFraming.None
            && !ReferenceEquals(head.Method, HttpMethods.Get) && !ReferenceEquals(head.Method, HttpMethods.Head)
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
        // The general path sends the request's scheme: the connection's, since no trusted proxy may claim another here.
        writer.Put(_https ? "\r\nX-Forwarded-Proto: https\r\nX-Request-Id: "u8 : "\r\nX-Forwarded-Proto: http\r\nX-Request-Id: "u8);
        writer.Put(_requestId.AsSpan(0, _requestIdLength));
        writer.Put("\r\n\r\n"u8);
        WriteBody(ref writer);
        return writer.Written;
    }

    /// <summary>
    /// A Content-Length body byte for byte; a chunked one as a single chunk and the last chunk, with neither
    /// extensions nor trailers (the fast path takes no body with them), as SocketsHttpHandler sends what the
    /// general path read in one go.
    /// </summary>
    private void WriteBody(ref SpanWriter writer)
    {
        var head = _head;
        if (head.Framing == BodyFraming.Length)
        {
            writer.Put(_body);
        }
        else if (head.Framing == BodyFraming.Chunked)
        {
            var length = (int)head.BodyLength;
            if (length > 0)
            {
                writer.PutHex(length);
                writer.Put("\r\n"u8);
                RequestBodyReader.CopyPayload(_body, writer.Take(length));
                writer.Put("\r\n"u8);
            }

            writer.Put("0\r\n\r\n"u8);
        }
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

        public void Put(in ReadOnlySequence<byte> bytes)
        {
            bytes.CopyTo(_destination[Written..]);
            Written += (int)bytes.Length;
        }

        public void PutHex(int value)
        {
            Utf8Formatter.TryFormat(value, _destination[Written..], out var written, new StandardFormat('X'));
            Written += written;
        }

        /// <summary>The next <paramref name="length"/> bytes, for the caller to fill.</summary>
        public Span<byte> Take(int length)
        {
            var span = _destination.Slice(Written, length);
            Written += length;
            return span;
        }
    }
}
