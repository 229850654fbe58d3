namespace Slipway.Proxy.Forwarding;

/// <summary>
/// A backend request that carries its route's connect timeout to the connect callback, without
/// the per-request dictionary that <see cref="HttpRequestMessage.Options"/> would allocate.
/// </summary>
internal sealed class ProxyRequestMessage : HttpRequestMessage
{
    public ProxyRequestMessage(HttpMethod method, Uri uri, TimeSpan connectTimeout)
        : base(method, uri)
    {
        ConnectTimeout = connectTimeout;
    }

    public TimeSpan ConnectTimeout { get; }
}
