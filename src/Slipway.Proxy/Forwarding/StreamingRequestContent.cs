using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Slipway.Proxy.Forwarding;

/// <summary>
/// The client's request body streamed to the backend as it arrives: never buffered whole,
/// flushed after each read so a slow or interactive upload reaches the backend promptly.
/// Records whether any of it was read, because after that a retry cannot replay it.
/// A body that grows past the limit (only a chunked one can: Content-Length is checked before)
/// fails the copy before the excess is written, so the backend sees its request cut off, never
/// a last chunk that would make a truncated body look complete.
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly PipeReader _source;
    private readonly ProxyContext _context;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _firstByteTimeout;
    private readonly long _maxBytes;
    private Task? _copy;

    public StreamingRequestContent(PipeReader source, ProxyContext context, TimeSpan idleTimeout, TimeSpan firstByteTimeout, long maxBytes)
    {
        _source = source;
        _context = context;
        _idleTimeout = idleTimeout;
        _firstByteTimeout = firstByteTimeout;
        _maxBytes = maxBytes;
    }

    /// <summary>The backend asked for the body: it can no longer be sent again.</summary>
    public bool Started => _copy is not null;

    public long BytesSent { get; private set; }

    /// <summary>True when the client's body ended normally.</summary>
    public bool Completed { get; private set; }

    /// <summary>The copy in progress, if any; the request must not end before it does.</summary>
    public Task? Copy => _copy;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_copy is not null)
        {
            throw new InvalidOperationException("The request body was already sent once and cannot be replayed.");
        }

        _copy = CopyAsync(stream, cancellationToken);
        return _copy;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }

    private async Task CopyAsync(Stream destination, CancellationToken cancellationToken)
    {
        var token = _context.BackendToken;
        while (true)
        {
            _context.ArmTimeout(_idleTimeout);
            ReadResult result;
            try
            {
                result = await _source.ReadAsync(token).ConfigureAwait(false);
            }
            catch (BadHttpRequestException exception)
            {
                // Kestrel's own refusal of the body: too slow for its MinRequestBodyDataRate (408), or broken framing (400).
                _context.ClientBodyStatus = exception.StatusCode;
                throw new IOException("the client's request body was refused: " + exception.Message, exception);
            }

            var buffer = result.Buffer;
            try
            {
                if (buffer.Length > _maxBytes - BytesSent)
                {
                    _context.BodyTooLarge = true;
                    throw new IOException($"the request body is over the {_maxBytes}-byte limit");
                }

                foreach (var segment in buffer)
                {
                    await destination.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
                }

                BytesSent += buffer.Length;
            }
            finally
            {
                _source.AdvanceTo(buffer.End);
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                break;
            }

            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        Completed = true;
        if (_context.Http.Features.Get<IHttpRequestTrailersFeature>() is { Available: true, Trailers.Count: > 0 } trailers)
        {
            _context.RequestTrailers = trailers.Trailers;
        }

        // The body is all sent: from here the backend is thinking, which the first-byte timeout bounds.
        _context.ArmTimeout(_firstByteTimeout);
    }
}
