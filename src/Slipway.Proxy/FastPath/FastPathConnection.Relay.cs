using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Slipway.Proxy.Forwarding;
using Slipway.Proxy.Routing;
using System.Runtime.CompilerServices;

namespace Slipway.Proxy.FastPath;

internal sealed partial class FastPathConnection
{
    /// <summary>
    /// The most of a known-length body received from the backend at once into a plain client's
    /// <see cref="ClientSocketWriter"/> (what its array grows to while the part is relayed; given back after the flush).
    /// A backend on loopback has usually written the whole body by the time the first part went out, so 128 KiB takes
    /// the rest of a 100 KiB answer in one receive and one send where 32 KiB took three of each.
    /// </summary>
    private const int SocketRelayReadSize = 128 * 1024;

    /// <summary>The same over TLS, into Kestrel's output pipe (which pauses its writer at 64 KiB).</summary>
    private const int PipeRelayReadSize = 32 * 1024;

    /// <summary>The backend sent bytes after a Content-Length body (<see cref="CopyLengthAsync"/> read one): its connection is not reused.</summary>
    private bool _readPastBody;

    /// <summary>
    /// The backend's response to the client: the status line Kestrel would write, the end-to-end headers byte for
    /// byte (hop-by-hop ones and the backend's X-Request-Id dropped), Date when the backend sent none, the request id,
    /// the affinity cookie; then the body by its framing. A Content-Length body goes as it is; a chunked or
    /// close-delimited one goes chunked, each piece as it arrives (server-sent events keep flowing). A backend that
    /// breaks off mid-body cuts the client's connection, as on the general path. The backend connection goes back to
    /// its pool only after a complete, well-framed response with nothing left over.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptOutcome> RelayAsync(
        CompiledRoute route, CompiledRevision revision, CompiledEndpoint endpoint, BackendPool pool, BackendConnection backend, bool setAffinityCookie)
    {
        var response = _response;
        _readPastBody = false;
        var noBody = ReferenceEquals(_head.Method, HttpMethods.Head) || response.Status is 204 or 205 or 304;
        var chunkedOut = !noBody && response.ContentLength < 0;
        WriteResponseHead(backend.Unread[..response.Length], revision, setAffinityCookie, chunkedOut);
        backend.Consume(response.Length);

        var complete = true;
        try
        {
            if (!noBody)
            {
                complete = !chunkedOut ? await CopyLengthAsync(route, backend, response.ContentLength).ConfigureAwait(false)
                    : response.Chunked ? await CopyChunkedAsync(route, backend).ConfigureAwait(false)
                    : await CopyToEndAsync(route, backend).ConfigureAwait(false);
            }

            if (complete)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException)
        {
            complete = false;
            if (!_clientGone)
            {
                BrokeOff(endpoint, exception);
            }
        }

        // Bytes left over (a body on a HEAD answer, say) break the framing of the next response: not reused. Nor is
        // a connection whose 205 came with a body, or without a length, which is left unread.
        var closeDelimited = chunkedOut && !response.Chunked;
        var unreadBody = response.Status == 205 && response.ContentLength != 0;
        _end = _engine.Time.GetTimestamp();
        if (complete && !_clientGone && !_timedOut && !response.Close && !closeDelimited && !unreadBody && !_readPastBody && backend.Start == backend.End)
        {
            pool.Return(backend, _end);
        }
        else
        {
            backend.Dispose();
        }

        return _clientGone ? AttemptOutcome.ClientAborted : AttemptOutcome.Forwarded;
    }

    private void WriteResponseHead(ReadOnlySpan<byte> head, CompiledRevision revision, bool setAffinityCookie, bool chunkedOut)
    {
        var response = _response;
        _status = response.Status;
        Put(StatusLines.For(response.Status));

        // A line the backend wrote as the client gets it ("Name: value\r\n", no other spacing) is not rewritten: such
        // lines one after another are copied in one piece (the run from runStart to runEnd), the others piece by piece.
        var (runStart, runEnd) = (0, 0);
        for (var i = 0; i < response.HeaderCount; i++)
        {
            var line = response.Headers[i];
            var name = head.Slice(line.NameStart, line.NameLength);
            if (!line.Forward || ((response.ContentLength < 0 || response.Status == 205) && name.Length == 14 && Ascii.EqualsIgnoreCase(name, "Content-Length"u8)))
            {
                continue;
            }

            var valueEnd = line.ValueStart + line.ValueLength;
            if (line.ValueStart == line.NameStart + line.NameLength + 2 && head[line.ValueStart - 1] == ' ' && head[valueEnd] == '\r')
            {
                if (line.NameStart != runEnd)
                {
                    Put(head[runStart..runEnd]);
                    runStart = line.NameStart;
                }

                runEnd = valueEnd + 2;
                continue;
            }

            Put(head[runStart..runEnd]);
            (runStart, runEnd) = (0, 0);
            Put(name);
            Put(": "u8);
            Put(head.Slice(line.ValueStart, line.ValueLength));
            Put("\r\n"u8);
        }

        Put(head[runStart..runEnd]);

        if (!response.HasDate)
        {
            Put(_engine.Date.Line());
        }

        Put("X-Request-Id: "u8);
        Put(_requestId.AsSpan(0, _requestIdLength));
        Put("\r\n"u8);
        if (setAffinityCookie)
        {
            Put("Set-Cookie: "u8);
            PutAscii(revision.AffinityCookie);
            Put("\r\n"u8);
        }

        if (chunkedOut)
        {
            Put("Transfer-Encoding: chunked\r\n"u8);
        }
        else if (response.Status == 205)
        {
            // RFC 9110 §15.3.6: no content, whatever the backend sent; written as Kestrel writes a 205 (the general path's).
            Put("Content-Length: 0\r\n"u8);
        }

        if (_head.Close || _closeRequested)
        {
            _closeClient = true;
            Put("Connection: close\r\n"u8);
        }

        Put("\r\n"u8);
    }

    /// <summary>
    /// A body of known length: what came with the head is copied, the rest is received from the backend straight
    /// into the client's writer (no copy through <see cref="BackendConnection.Buffer"/>), up to
    /// <see cref="SocketRelayReadSize"/> a read (<see cref="PipeRelayReadSize"/> over TLS) and at most one byte past the
    /// body's end (so a read that ends the body ends short and the readiness engine counts the socket drained; a byte
    /// found there is the backend's error, never forwarded, and its connection is dropped; bytes after the body that
    /// came with the head stay unread, for the pool's check when the connection is next taken), each part flushed as it
    /// arrives. On a plain client's <see cref="ClientSocketWriter"/>, a part the backend has already sent behind
    /// the one waiting to go (its socket has bytes to read) is received first and both leave in one send, up to one
    /// read's worth: with a 100 KiB answer, the first 16 KiB and the rest go together. A part not there yet is never
    /// waited for with bytes held back, so a body that trickles in still streams. A head that came without any
    /// of its body is not flushed alone: it goes with the body's first part, as nginx holds a head under
    /// <c>postpone_output</c>. A backend that writes the two apart (nginx's <c>sendfile</c>, an application that
    /// flushes its head first) would otherwise cost a send of its own to the client, and the client a wake-up.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> CopyLengthAsync(CompiledRoute route, BackendConnection backend, long remaining)
    {
        var take = (int)Math.Min(remaining, backend.End - backend.Start);
        var socketWriter = _output as ClientSocketWriter;
        var readSize = socketWriter is not null ? SocketRelayReadSize : PipeRelayReadSize;
        if (socketWriter is not null && remaining > take)
        {
            // Room for the first part and a read after it, so that joining them copies nothing but the head.
            _output.GetSpan((int)Math.Min(remaining, readSize - socketWriter.Buffered));
        }

        Put(backend.Unread[..take]);
        backend.Consume(take);
        remaining -= take;
        _responseBytes += take;
        var flush = take > 0;
        while (remaining > 0)
        {
            if (flush && !JoinsNext(backend) && !await FlushAsync().ConfigureAwait(false))
            {
                return false;
            }

            flush = true;

            // A read that may reach the body's end asks for one byte more: ending short of what it asked, it tells the
            // readiness engine the socket is drained, so the next request's first read waits for epoll's event instead
            // of a recv that finds nothing. A byte past the end is the backend's error: never forwarded, and the
            // connection is not reused.
            var memory = _output.GetMemory((int)Math.Min(remaining + 1, readSize - (socketWriter?.Buffered ?? 0)));
            if (memory.Length > remaining + 1)
            {
                memory = memory[..(int)(remaining + 1)];
            }

            var read = await ReceiveWithinIdleTimeoutAsync(route, backend, memory).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the backend closed the connection mid-body");
            }

            if (read > remaining)
            {
                _readPastBody = true;
                read = (int)remaining;
            }

            _output.Advance(read);
            remaining -= read;
            _responseBytes += read;
        }

        return true;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> CopyChunkedAsync(CompiledRoute route, BackendConnection backend)
    {
        var decoder = default(ChunkDecoder);
        while (true)
        {
            switch (decoder.Next(backend.Unread, out var count))
            {
                case ChunkStep.Data:
                    PutChunk(backend.Unread[..count]);
                    backend.Consume(count);
                    _responseBytes += count;
                    break;
                case ChunkStep.Skip:
                    backend.Consume(count);
                    break;
                case ChunkStep.Done:
                    backend.Consume(count);
                    Put("0\r\n\r\n"u8);
                    return true;
                case ChunkStep.Error:
                    throw new IOException("the backend sent a malformed chunked body");
                default:
                    if ((!JoinsNext(backend) && !await FlushAsync().ConfigureAwait(false)) || !await ReceiveAsync(route, backend).ConfigureAwait(false))
                    {
                        return false;
                    }

                    break;
            }
        }
    }

    /// <summary>A body without length or chunks: it ends when the backend closes, and so does that connection.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> CopyToEndAsync(CompiledRoute route, BackendConnection backend)
    {
        while (true)
        {
            if (backend.End > backend.Start)
            {
                _responseBytes += backend.End - backend.Start;
                PutChunk(backend.Unread);
                backend.Consume(backend.End - backend.Start);
            }

            if (!JoinsNext(backend) && !await FlushAsync().ConfigureAwait(false))
            {
                return false;
            }

            var read = await ReceiveWithinIdleTimeoutAsync(route, backend, backend.Room()).ConfigureAwait(false);
            if (read == 0)
            {
                Put("0\r\n\r\n"u8);
                return true;
            }

            backend.Received(read);
        }
    }

    /// <summary>
    /// Whether the next receive joins what waits to go on a plain client's <see cref="ClientSocketWriter"/> instead of
    /// a flush going first: only when the backend has already sent more (its socket has bytes to read, so the receive
    /// will not wait) and the writer holds at most half a read's worth. Both then leave in one send; the room for a
    /// read's worth is made now, so parts put one by one after it do not grow the array step by step. A part not there
    /// yet is never waited for with bytes held back: a body that trickles in (server-sent events) still streams.
    /// </summary>
    private bool JoinsNext(BackendConnection backend)
    {
        if (_output is not ClientSocketWriter writer || writer.Buffered > SocketRelayReadSize / 2 || backend.Socket.Available == 0)
        {
            return false;
        }

        writer.GetSpan(SocketRelayReadSize - writer.Buffered);
        return true;
    }

    /// <summary>More of the body within the route's idle timeout; a backend that closes early broke off.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReceiveAsync(CompiledRoute route, BackendConnection backend)
    {
        var read = await ReceiveWithinIdleTimeoutAsync(route, backend, backend.Room()).ConfigureAwait(false);
        backend.Received(read);
        return read > 0 ? true : throw new IOException("the backend closed the connection mid-body");
    }

    /// <summary>
    /// One read of a body into <paramref name="into"/> within the route's idle timeout: the count, 0 when the backend
    /// closed. A timeout throws: it shut the socket down, so the 0 read then is not the backend's end.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveWithinIdleTimeoutAsync(CompiledRoute route, BackendConnection backend, Memory<byte> into)
    {
        int read;
        Arm(backend, route.IdleTimeout);
        try
        {
            read = await backend.ReceiveAsync(into).ConfigureAwait(false);
        }
        finally
        {
            Disarm();
        }

        return _timedOut ? throw new IOException("the backend was silent past the route's idle timeout") : read;
    }

    /// <summary>The response already started: the client's connection is cut so it cannot take the body for whole.</summary>
    private void BrokeOff(CompiledEndpoint endpoint, Exception exception)
    {
        Log.ResponseAborted(_engine.Logger, endpoint.Id, _timedOut ? "idle timeout" : "backend broke off", exception);
        _proxyFailure = true;
        _status = StatusCodes.Status502BadGateway;
        _closeClient = true;
        _cutByProxy = true;
        _connection.Abort(new ConnectionAbortedException("the backend broke off the response"));
    }

    /// <summary>
    /// False when the client went away, or read too slowly: a flush that has to wait for the client (its socket or the
    /// TLS pipe is full) is armed with the response data rate's deadline (<see cref="ResponseDataRate"/>), and past it
    /// the heartbeat aborts the client's connection, as Kestrel's aborts a general-path one. A flush that does not wait
    /// arms nothing.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FlushAsync()
    {
        var pending = _responseBytes - _flushedBytes;
        _flushedBytes = _responseBytes;
        var rate = _engine.ResponseRate;
        var armed = false;
        var flushed = false;
        try
        {
            var flush = _output.FlushAsync();
            if (!flush.IsCompleted && rate is not null)
            {
                armed = true;
                ArmUntil(_output, rate.Deadline(_engine.Heartbeat, _engine.Time.GetTimestamp(), _start, pending, _responseBytes));
            }

            var result = await flush.ConfigureAwait(false);
            flushed = !result.IsCanceled && !result.IsCompleted;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ConnectionAbortedException)
        {
            // The client went away (or was cut for its rate, below).
        }
        finally
        {
            if (armed)
            {
                Disarm();
            }
        }

        if (armed && _timedOut)
        {
            Log.ResponseTooSlow(_engine.Logger, ClientAddressText, rate!.BytesPerSecond, rate.GracePeriod, Encoding.ASCII.GetString(_requestId, 0, _requestIdLength));
            flushed = false;
        }

        _clientGone |= !flushed;
        return flushed;
    }

    /// <summary>The proxy's own answer in the backend's place, with the general path's headers and body.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AnswerAsync(int status, byte[] body)
    {
        _status = status;
        _proxyFailure = status >= 500;
        Put(StatusLines.For(status));
        Put("Content-Type: text/plain; charset=utf-8\r\nContent-Length: "u8);
        PutAscii(body.Length.ToString(CultureInfo.InvariantCulture));
        Put("\r\n"u8);
        Put(_engine.Date.Line());
        Put("X-Request-Id: "u8);
        Put(_requestId.AsSpan(0, _requestIdLength));
        Put("\r\n"u8);
        if (status >= 500)
        {
            Put("Cache-Control: no-store\r\n"u8);
        }

        if (_head.Close || _closeRequested)
        {
            _closeClient = true;
            Put("Connection: close\r\n"u8);
        }

        Put("\r\n"u8);
        Put(body);
        if (!await FlushAsync().ConfigureAwait(false))
        {
            _status = 0;
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> into room asked for all at once: <c>IBufferWriter.Write</c> asks for any room
    /// and, on <see cref="ClientSocketWriter"/>'s one array, a body's first part larger than what is left grew it
    /// step by step (4, 8, 16, 32 KiB for 16 KiB), copying what it held at every step.
    /// </summary>
    private void Put(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty)
        {
            bytes.CopyTo(_output.GetSpan(bytes.Length));
            _output.Advance(bytes.Length);
        }
    }

    private void PutAscii(string text)
    {
        var span = _output.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        _output.Advance(written);
    }

    private void PutChunk(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        Span<byte> size = stackalloc byte[16];
        Utf8Formatter.TryFormat(data.Length, size, out var written, new StandardFormat('X'));
        Put(size[..written]);
        Put("\r\n"u8);
        Put(data);
        Put("\r\n"u8);
    }
}
