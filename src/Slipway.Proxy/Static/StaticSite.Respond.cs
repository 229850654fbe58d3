using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Forwarding;

namespace Slipway.Proxy.Static;

internal sealed partial class StaticSite
{
    public const string Immutable = "public, max-age=31536000, immutable";
    public const string NoCache = "no-cache";
    private const int CopyBufferSize = 64 * 1024;

    /// <summary>Answers the request from the directory: 200, 206, 304, 301 to a directory's slash, 404, 405 or 416.</summary>
    public async Task ServeAsync(ProxyContext context, ResponseHeaders edgeHeaders)
    {
        var http = context.Http;
        var request = http.Request;
        var response = http.Response;
        var head = HttpMethods.IsHead(request.Method);
        response.Headers[ProxyHeaderNames.XRequestId] = context.RequestId;
        edgeHeaders.Apply(response.Headers, context.IsHttps);
        if (!head && !HttpMethods.IsGet(request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            Empty(context, StatusCodes.Status405MethodNotAllowed);
            return;
        }

        var path = request.Path.Value is { Length: > 0 } p ? p : "/";
        using var file = Find(path, AcceptsHtml(request), out var isDirectory);
        if (file is null)
        {
            if (isDirectory)
            {
                response.Headers.Location = path + "/" + request.QueryString.Value;
                Empty(context, StatusCodes.Status301MovedPermanently);
                return;
            }

            Empty(context, StatusCodes.Status404NotFound);
            return;
        }

        using var encoded = Precompressed(file, request, out var coding);
        var sent = encoded ?? file;
        var headers = response.Headers;
        var etag = "\"" + sent.LastWriteUtc.Ticks.ToString("x", CultureInfo.InvariantCulture) + "-" + sent.Length.ToString("x", CultureInfo.InvariantCulture) + (coding is null ? "" : "-" + coding) + "\"";
        var lastModified = TruncateToSeconds(sent.LastWriteUtc);
        headers.ETag = etag;
        headers.LastModified = HeaderUtilities.FormatDate(lastModified);
        headers.CacheControl = file.Name != Model.Index && Fingerprint.IsFingerprinted(file.Name) ? Immutable : NoCache;
        headers.AcceptRanges = "bytes";
        if (coding is not null || HasSibling(file))
        {
            headers.Vary = HeaderNames.AcceptEncoding;
        }

        if (NotModified(request, etag, lastModified))
        {
            Empty(context, StatusCodes.Status304NotModified);
            return;
        }

        headers.ContentType = ContentTypeOf(file.Name);
        if (coding is not null)
        {
            headers.ContentEncoding = coding;
        }

        var (status, offset, count) = RangeOf(request, sent.Length, etag, lastModified);
        if (status == StatusCodes.Status416RangeNotSatisfiable)
        {
            headers.ContentRange = "bytes */" + sent.Length.ToString(CultureInfo.InvariantCulture);
            headers.ContentType = default;
            headers.ContentEncoding = default;
            Empty(context, status);
            return;
        }

        if (status == StatusCodes.Status206PartialContent)
        {
            headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {offset}-{offset + count - 1}/{sent.Length}");
        }

        response.StatusCode = status;
        context.StatusCode = status;
        response.ContentLength = count;
        if (head)
        {
            return;
        }

        context.ResponseBytes = await CopyAsync(sent, offset, count, response, context.BackendToken).ConfigureAwait(false);
    }

    private static void Empty(ProxyContext context, int status)
    {
        context.Http.Response.StatusCode = status;
        context.StatusCode = status;
        if (status != StatusCodes.Status304NotModified)
        {
            context.Http.Response.ContentLength = 0;
        }
    }

    /// <summary>The <c>.br</c> (then <c>.gz</c>) sibling the client accepts, opened, with its coding.</summary>
    private StaticFile? Precompressed(StaticFile file, HttpRequest request, out string? coding)
    {
        coding = null;
        var accept = request.Headers.AcceptEncoding.ToString();
        if (accept.Length == 0)
        {
            return null;
        }

        var relative = RelativeOf(file);
        foreach (var (suffix, token, offered) in Codings)
        {
            if (AcceptEncoding.Choose(accept, offered) != ContentCoding.None && Open(relative + suffix) is { } sibling)
            {
                coding = token;
                return sibling;
            }
        }

        return null;
    }

    private static readonly (string Suffix, string Token, ContentCoding[] Offered)[] Codings =
        [(".br", "br", [ContentCoding.Brotli]), (".gz", "gzip", [ContentCoding.Gzip])];

    private bool HasSibling(StaticFile file)
    {
        var path = Path.Combine(_root, RelativeOf(file));
        return File.Exists(path + ".br") || File.Exists(path + ".gz");
    }

    private string RelativeOf(StaticFile file) => file.RealPath[_rootPrefix.Length..];

    private static DateTimeOffset TruncateToSeconds(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since; weak comparison for both.</summary>
    private static bool NotModified(HttpRequest request, string etag, DateTimeOffset lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            foreach (var value in ifNoneMatch)
            {
                foreach (var candidate in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
                {
                    if (candidate == "*" || candidate == etag || (candidate.StartsWith("W/", StringComparison.Ordinal) && candidate[2..] == etag))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        return HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since) && lastModified <= since;
    }

    /// <summary>
    /// One byte range (RFC 9110 §14): 206 with it, 416 when it starts past the end, 200 for the whole file when there
    /// is none, several (served whole, as the RFC allows), a malformed one, or an If-Range that no longer matches.
    /// </summary>
    private static (int Status, long Offset, long Count) RangeOf(HttpRequest request, long length, string etag, DateTimeOffset lastModified)
    {
        var whole = (StatusCodes.Status200OK, 0L, length);
        var header = request.Headers.Range.ToString();
        if (header.Length == 0 || !HttpMethods.IsGet(request.Method) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return whole;
        }

        var ifRange = request.Headers.IfRange.ToString();
        if (ifRange.Length > 0 && ifRange != etag
            && !(HeaderUtilities.TryParseDate(ifRange, out var date) && date == lastModified))
        {
            return whole;
        }

        var spec = header.AsSpan(6).Trim();
        if (spec.Contains(','))
        {
            return whole;
        }

        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return whole;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            // A suffix: the last N bytes.
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return whole;
            }

            return suffix == 0 || length == 0
                ? (StatusCodes.Status416RangeNotSatisfiable, 0, 0)
                : (StatusCodes.Status206PartialContent, Math.Max(0, length - suffix), Math.Min(suffix, length));
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return whole;
        }

        var end = length - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start)
            {
                return whole;
            }

            end = Math.Min(end, length - 1);
        }

        return start >= length
            ? (StatusCodes.Status416RangeNotSatisfiable, 0, 0)
            : (StatusCodes.Status206PartialContent, start, end - start + 1);
    }

    private static async Task<long> CopyAsync(StaticFile file, long offset, long count, HttpResponse response, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(CopyBufferSize, Math.Max(1, count)));
        long sent = 0;
        try
        {
            var writer = response.BodyWriter;
            while (sent < count)
            {
                var read = await RandomAccess.ReadAsync(file.Handle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - sent)), offset + sent, cancellation).ConfigureAwait(false);
                if (read == 0)
                {
                    // The file shrank under us: the length is already promised, so the connection is cut short.
                    break;
                }

                await writer.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
                sent += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return sent;
    }
}
