namespace Slipway.Proxy.Edge.Waf;

/// <summary>
/// What the engine inspects of one request, independent of any server type so that Kestrel's
/// pipeline and a hand-written HTTP/1.1 parser can both fill it without copying strings.
/// </summary>
/// <param name="Path">The raw path as sent (percent-encoded, dot segments kept).</param>
/// <param name="Query">The raw query string, with or without its leading <c>?</c>.</param>
/// <param name="Headers">The request headers; the engine picks the ones it inspects (see README).</param>
/// <param name="ContentType">The Content-Type header value, or empty.</param>
/// <param name="Body">
/// The first bytes of the body. The engine reads at most <see cref="WafLimits.BodyBytes"/> of them,
/// so a caller needs to buffer no more than that.
/// </param>
internal readonly ref struct WafRequest(
    ReadOnlySpan<char> Path,
    ReadOnlySpan<char> Query,
    ReadOnlySpan<WafHeader> Headers,
    ReadOnlySpan<char> ContentType,
    ReadOnlySpan<byte> Body)
{
    public ReadOnlySpan<char> Path { get; } = Path;

    public ReadOnlySpan<char> Query { get; } = Query;

    public ReadOnlySpan<WafHeader> Headers { get; } = Headers;

    public ReadOnlySpan<char> ContentType { get; } = ContentType;

    public ReadOnlySpan<byte> Body { get; } = Body;
}
