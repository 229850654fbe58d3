using Microsoft.AspNetCore.Http;
using Slipway.Proxy.Forwarding;

namespace Slipway.Proxy.Edge;

/// <summary>
/// The smuggling check Kestrel leaves to us. Kestrel (10) already refuses duplicate or
/// malformed Content-Length, a final coding other than chunked, CR/LF/NUL and obs-fold (400)
/// and an oversized header section (431). A request with both Content-Length and
/// Transfer-Encoding it accepts the way RFC 9112 §6.3 allows — chunked wins, keep-alive is
/// turned off — and moves the Content-Length value to an <c>X-Content-Length</c> header
/// (measured; nothing else shows that the request had both). RFC 9112 §6.1 lets an
/// intermediary refuse such a request instead, and a proxy should: it is the classic
/// request-smuggling shape.
/// </summary>
internal static class RequestFraming
{
    /// <summary>
    /// True for a chunked request that also came with a Content-Length. A chunked request whose
    /// client sent an <c>X-Content-Length</c> header of its own is refused too: the two look alike.
    /// </summary>
    public static bool IsAmbiguous(IHeaderDictionary headers) =>
        headers.TransferEncoding.Count > 0 && headers.ContainsKey(ProxyHeaderNames.XContentLength);
}
