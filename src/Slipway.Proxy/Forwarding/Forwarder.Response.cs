using System.Buffers;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Routing;

namespace Slipway.Proxy.Forwarding;

internal sealed partial class Forwarder
{
    private const int CopyBufferSize = 16 * 1024;

    /// <summary>A try whose send failed before any response: classify it and settle the body copy.</summary>
    private async ValueTask<AttemptOutcome> SendFailedAsync(
        ProxyContext context, CompiledService service, CompiledEndpoint endpoint, StreamingRequestContent? content, Exception exception)
    {
        var outcome = Classify(context, exception);
        if (outcome is not (AttemptOutcome.ClientAborted or AttemptOutcome.BodyTooLarge or AttemptOutcome.ClientBodyFailed))
        {
            ReportHealth(service, endpoint, failed: true);
            Log.AttemptFailed(_logger, endpoint.Id, outcome.ToString(), context.Filter.Excluded == 0 ? 1 : 2, exception);
        }

        await FinishBodyAsync(content, context).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// A try the backend answered: stream the response back, or hold a canary's 5xx back for the
    /// shield. Completes without suspending when the body came with the headers.
    /// </summary>
    private async ValueTask<AttemptOutcome> RespondAsync(
        ProxyContext context, CompiledRoute route, CompiledService service, CompiledEndpoint endpoint,
        StreamingRequestContent? content, HttpResponseMessage response, bool shieldServerErrors, bool setAffinityCookie)
    {
        using (response)
        {
            var status = (int)response.StatusCode;
            ReportHealth(service, endpoint, failed: _countServerErrors && status >= 500);
            if (shieldServerErrors && status >= 500)
            {
                context.StatusCode = status;
                await FinishBodyAsync(content, context).ConfigureAwait(false);
                return AttemptOutcome.ShieldedServerError;
            }

            await CopyResponseAsync(context, route, endpoint, response, setAffinityCookie).ConfigureAwait(false);
            await FinishBodyAsync(content, context).ConfigureAwait(false);
            return AttemptOutcome.Forwarded;
        }
    }

    private static AttemptOutcome Classify(ProxyContext context, Exception exception)
    {
        if (context.ClientAborted)
        {
            return AttemptOutcome.ClientAborted;
        }

        if (context.BodyTooLarge)
        {
            // The client's fault, not the backend's: no health penalty, no retry.
            return AttemptOutcome.BodyTooLarge;
        }

        if (context.ClientBodyStatus != 0)
        {
            // The client's fault too: no health penalty, no retry (part of the body went already).
            return AttemptOutcome.ClientBodyFailed;
        }

        if (context.TimedOut)
        {
            return AttemptOutcome.TimedOut;
        }

        return exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
            ? AttemptOutcome.ConnectFailed
            : AttemptOutcome.TransportFailed;
    }

    /// <summary>The request body copy must not outlive the request: Kestrel recycles its reader.</summary>
    private static async ValueTask FinishBodyAsync(StreamingRequestContent? content, ProxyContext context)
    {
        if (content is null)
        {
            return;
        }

        if (content.Copy is { IsCompleted: false } copy)
        {
            context.CancelBackend();
            try
            {
                await copy.ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or HttpRequestException)
            {
                // The backend answered without reading the whole body (say a 413); nothing more to send.
            }
        }

        context.RequestBytes = content.BytesSent;
    }

    private async ValueTask CopyResponseAsync(
        ProxyContext context, CompiledRoute route, CompiledEndpoint endpoint, HttpResponseMessage response, bool setAffinityCookie)
    {
        var http = context.Http;
        var target = http.Response;
        target.StatusCode = (int)response.StatusCode;
        context.StatusCode = target.StatusCode;
        var headers = target.Headers;
        CopyHeaders(response.Headers, headers, upgraded: false);
        var hasLength = CopyHeaders(response.Content.Headers, headers, upgraded: false);
        headers[ProxyHeaderNames.XRequestId] = context.RequestId;
        if (setAffinityCookie)
        {
            headers.Append(HeaderNames.SetCookie, context.Revision!.AffinityCookie);
        }

        _edge.Headers.Apply(headers, context.IsHttps);
        if (target.StatusCode == StatusCodes.Status205ResetContent)
        {
            // RFC 9110 §15.3.6: a 205 has no content. Kestrel refuses a body on one (a write throws; a Content-Length
            // other than 0 becomes its 500), so a body the backend sent anyway is dropped and the 205 goes out as Kestrel
            // writes its own, with Content-Length: 0. The fast path does the same.
            headers.ContentLength = 0;
            return;
        }

        var coding = _edge.Compression is { } compression ? ChooseCoding(compression, http, hasLength) : ContentCoding.None;
        hasLength &= coding == ContentCoding.None;

        context.ArmTimeout(route.IdleTimeout);
        // The response stream already exists: the synchronous call returns it without the Task<Stream>
        // that ReadAsStreamAsync allocates.
        var source = response.Content.ReadAsStream(context.BackendToken);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long total = 0;
        try
        {
            if (coding != ContentCoding.None)
            {
                total = await CopyCompressedAsync(source, buffer, coding, context, route, endpoint).ConfigureAwait(false);
            }
            else
            {
                // Each read goes out as it arrives (server-sent events depend on it); a small
                // response is one read, so headers and body still leave in one write.
                var writer = target.BodyWriter;
                var read = await ReadBackendAsync(source, buffer, context, endpoint).ConfigureAwait(false);
                while (read > 0)
                {
                    total += read;
                    if (!await WriteAsync(writer, buffer.AsMemory(0, read), context).ConfigureAwait(false))
                    {
                        return;
                    }

                    context.ArmTimeout(route.IdleTimeout);
                    read = await ReadBackendAsync(source, buffer, context, endpoint).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            context.ResponseBytes = total;
        }

        if (context.ClientAborted || context.ProxyFailure)
        {
            return;
        }

        if (!hasLength && response.TrailingHeaders.NonValidated.Count > 0 && target.SupportsTrailers())
        {
            foreach (var trailer in response.TrailingHeaders.NonValidated)
            {
                target.AppendTrailer(trailer.Key, ToStringValues(trailer.Value));
            }
        }
    }

    /// <summary>
    /// The coding for this response (see <see cref="ResponseCompression"/>), with the headers made to match: the
    /// coding named, the length dropped (the body is streamed), a strong ETag weakened (the bytes differ from the
    /// backend's, as nginx does), ranges no longer offered, and <c>Vary: Accept-Encoding</c> on every candidate.
    /// </summary>
    private static ContentCoding ChooseCoding(ResponseCompression compression, DefaultHttpContext http, bool hasLength)
    {
        var response = http.Response;
        var headers = response.Headers;
        if (!compression.IsCandidate(
            response.StatusCode,
            headers.ContentType.Count > 0 ? headers.ContentType[0] : null,
            encoded: headers.ContentEncoding.Count > 0,
            partial: headers.ContentRange.Count > 0,
            headers.CacheControl.Count > 0 ? headers.CacheControl.ToString() : null,
            hasLength ? response.ContentLength : null))
        {
            return ContentCoding.None;
        }

        var vary = headers.Vary;
        if (vary.Count == 0)
        {
            headers.Vary = HeaderNames.AcceptEncoding;
        }
        else if (!vary.ToString().Contains(HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase) && vary.ToString() != "*")
        {
            headers.Vary = vary.ToString() + ", " + HeaderNames.AcceptEncoding;
        }

        var request = http.Request;
        var acceptEncoding = request.Headers.AcceptEncoding;
        var coding = compression.Choose(HttpMethods.IsHead(request.Method), acceptEncoding.Count == 1 ? acceptEncoding[0].AsSpan() : acceptEncoding.ToString().AsSpan());
        if (coding == ContentCoding.None)
        {
            return coding;
        }

        headers.ContentEncoding = ResponseCompression.Token(coding);
        headers.ContentLength = null;
        headers.AcceptRanges = default;
        if (headers.ETag is { Count: 1 } etag && etag[0] is { } tag && tag.StartsWith('"'))
        {
            headers.ETag = "W/" + tag;
        }

        return coding;
    }

    /// <summary>
    /// The backend's body through a compressor, flushed after every read so streamed responses (server-sent
    /// events) still arrive as they are written. A backend that breaks off leaves the compressed body unfinished:
    /// the connection is cut, never closed as though the body were complete.
    /// </summary>
    private async ValueTask<long> CopyCompressedAsync(
        Stream source, byte[] buffer, ContentCoding coding, ProxyContext context, CompiledRoute route, CompiledEndpoint endpoint)
    {
        var body = context.Http.Response.Body;
        var compressor = ResponseCompression.Wrap(body, coding);
        long total = 0;
        try
        {
            var read = await ReadBackendAsync(source, buffer, context, endpoint).ConfigureAwait(false);
            while (read > 0)
            {
                total += read;
                await compressor.WriteAsync(buffer.AsMemory(0, read), context.BackendToken).ConfigureAwait(false);
                await compressor.FlushAsync(context.BackendToken).ConfigureAwait(false);
                context.ArmTimeout(route.IdleTimeout);
                read = await ReadBackendAsync(source, buffer, context, endpoint).ConfigureAwait(false);
            }

            if (!context.ProxyFailure)
            {
                await compressor.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The client went away.
            context.CancelBackend();
        }
        finally
        {
            // Unfinished or not, the encoder's native state goes; what it writes now reaches no one.
            try
            {
                await compressor.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The connection is already gone.
            }
        }

        return total;
    }

    /// <summary>A backend read that fails mid-response cuts the client's connection: the status already went out.</summary>
    private async ValueTask<int> ReadBackendAsync(Stream source, byte[] buffer, ProxyContext context, CompiledEndpoint endpoint)
    {
        try
        {
            return await source.ReadAsync(buffer, context.BackendToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or HttpRequestException)
        {
            if (!context.ClientAborted)
            {
                Log.ResponseAborted(_logger, endpoint.Id, context.TimedOut ? "idle timeout" : "backend broke off", exception);
                context.CutClient();
            }

            return 0;
        }
    }

    private static async ValueTask<bool> WriteAsync(PipeWriter writer, ReadOnlyMemory<byte> data, ProxyContext context)
    {
        try
        {
            var result = await writer.WriteAsync(data, context.BackendToken).ConfigureAwait(false);
            if (!result.IsCanceled && !result.IsCompleted)
            {
                return true;
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The client went away.
        }

        context.CancelBackend();
        return false;
    }

    /// <summary>Copies end-to-end headers; returns true when Content-Length was among them.</summary>
    private static bool CopyHeaders(HttpHeaders source, IHeaderDictionary destination, bool upgraded)
    {
        var hasLength = false;
        foreach (var header in source.NonValidated)
        {
            var name = header.Key;
            if (HeaderRules.DropFromResponse(name, upgraded))
            {
                continue;
            }

            hasLength |= name.Length == 14 && string.Equals(name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase);
            destination[name] = ToStringValues(header.Value);
        }

        return hasLength;
    }

    private static StringValues ToStringValues(HeaderStringValues values)
    {
        if (values.Count == 1)
        {
            return new StringValues(values.ToString());
        }

        var array = new string[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            array[i++] = value;
        }

        return new StringValues(array);
    }
}
