using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Routing;

namespace Slipway.Proxy.Forwarding;

/// <summary>
/// Per-request state, reused for every request on a connection (Kestrel hands it back through
/// IHostContextContainer), so the HttpContext wrapper, the cancellation source and the cached
/// client address are allocated once per connection, not per request.
/// </summary>
internal sealed class ProxyContext : IEdgeHeaders, IWafFindings, IRequestLine
{
    private static readonly Action<object?> CancelCallback = static state => ((ProxyContext)state!).CancelBackend();
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
    private readonly TimeProvider _time;
    private CancellationTokenSource _backend;
    private CancellationTokenRegistration _abortRegistration;
    private IPAddress? _peer;
    private IPAddress _peerAddress = IPAddress.None;
    private string _peerText = "unknown";
    private uint _peerHash;
    private bool _peerTrusted;
    private string? _lastForwardedFor;
    private (IPAddress Client, string Chain, uint Hash, string Text) _lastResolved;
    private bool _initialized;

    public ProxyContext(IFeatureCollection features, TimeProvider time)
    {
        _time = time;
        Http = new DefaultHttpContext(features);
        _initialized = true;
        _backend = NewSource();
    }

    public DefaultHttpContext Http { get; }

    /// <summary>Which endpoints this request may still try; a field so the forwarder can pass it by reference.</summary>
#pragma warning disable CA1051 // A mutable struct kept by reference on purpose.
    public EndpointFilter Filter;
#pragma warning restore CA1051

    public string RequestId { get; set; } = string.Empty;

    public CompiledRoute? Route { get; set; }

    public CompiledRevision? Revision { get; set; }

    public CompiledEndpoint? Endpoint { get; set; }

    /// <summary>The status the client got (0 while none, or when it went away first).</summary>
    public int StatusCode { get; set; }

    /// <summary>The proxy answered in the backend's place (502/503/504) or cut a broken response.</summary>
    public bool ProxyFailure { get; set; }

    /// <summary>
    /// The proxy itself aborted the client's connection (a response that broke off after its status went out). That
    /// abort trips <see cref="ClientAborted"/> too, at a moment of Kestrel's choosing; the sample must not read it as
    /// the client leaving.
    /// </summary>
    public bool CutByProxy { get; private set; }

    public long RequestBytes { get; set; }

    public long ResponseBytes { get; set; }

    /// <summary>Why the edge answered this request itself, if it did (for metrics).</summary>
    public EdgeRefusal Refusal { get; set; }

    /// <summary>The class of the WAF rule that matched this request, if one did (for metrics).</summary>
    public string? WafClass { get; private set; }

    /// <summary>The WAF match refused the request (block mode).</summary>
    public bool WafBlocked { get; private set; }

    /// <summary>The chunked body went over <c>maxRequestBody</c>: the backend's request was cut, the client gets 413.</summary>
    public bool BodyTooLarge { get; set; }

    /// <summary>Kestrel's status for a request body it refused mid-stream (408 too slow, 400 malformed); 0 while none.</summary>
    public int ClientBodyStatus { get; set; }

    /// <summary>The real client: the peer, or behind trusted proxies the address <c>X-Forwarded-For</c> names.</summary>
    public IPAddress ClientAddress { get; private set; } = IPAddress.None;

    public string ClientAddressText { get; private set; } = "unknown";

    /// <summary>A stable hash of <see cref="ClientAddress"/> (FNV-1a over its bytes), for affinity and ip-hash.</summary>
    public uint ClientHash { get; private set; }

    /// <summary>The <c>X-Forwarded-For</c> the backend gets: the verified chain, ending with the peer.</summary>
    public string ForwardedFor { get; private set; } = "unknown";

    /// <summary>The peer is a trusted proxy, so its <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> are believed.</summary>
    public bool PeerTrusted => _peerTrusted;

    /// <summary>The client reached the edge over HTTPS: this connection, or a trusted proxy's <c>X-Forwarded-Proto: https</c>.</summary>
    public bool IsHttps { get; private set; }

    /// <summary>The client's request trailers once its chunked body ended, until the backend stream sends them.</summary>
    public IHeaderDictionary? RequestTrailers { get; set; }

    /// <summary>Cancelled when the client goes away or a timeout armed with <see cref="ArmTimeout"/> fires.</summary>
    public CancellationToken BackendToken => _backend.Token;

    public bool ClientAborted => Http.RequestAborted.IsCancellationRequested;

    public bool TimedOut => _backend.IsCancellationRequested && !ClientAborted;

    public void Initialize(IFeatureCollection features)
    {
        if (!_initialized)
        {
            Http.Initialize(features);
            _initialized = true;
        }
    }

    public void BeginRequest() =>
        _abortRegistration = Http.RequestAborted.UnsafeRegister(CancelCallback, this);

    /// <summary>Replaces whatever timeout was armed: the backend token cancels after <paramref name="timeout"/> without progress.</summary>
    public void ArmTimeout(TimeSpan timeout) => _backend.CancelAfter(timeout < MaxTimeout ? timeout : MaxTimeout);

    public void CancelBackend()
    {
        try
        {
            _backend.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request ended while the client went away.
        }
    }

    public void EndRequest()
    {
        Route = null;
        Revision = null;
        Endpoint = null;
        StatusCode = 0;
        ProxyFailure = false;
        CutByProxy = false;
        RequestBytes = 0;
        ResponseBytes = 0;
        RequestTrailers = null;
        Filter = default;
        Refusal = EdgeRefusal.None;
        BodyTooLarge = false;
        ClientBodyStatus = 0;
        WafClass = null;
        WafBlocked = false;
        _abortRegistration.Dispose();
        _abortRegistration = default;
        if (!_backend.TryReset())
        {
            _backend.Dispose();
            _backend = NewSource();
        }
    }

    /// <summary>Cuts the client's connection for a response the proxy cannot finish: a 502 the sample keeps.</summary>
    public void CutClient()
    {
        ProxyFailure = true;
        StatusCode = StatusCodes.Status502BadGateway;
        CutByProxy = true;
        Http.Abort();
    }

    public void Reset()
    {
        Http.Uninitialize();
        _initialized = false;
    }

    /// <summary>
    /// Finds the real client for this request. From an untrusted peer (or with no trusted proxies) the peer is the
    /// client and anything it wrote in <c>X-Forwarded-For</c> is ignored; the peer's details are cached while the
    /// connection's address stays the same object, so this costs nothing per request. From a trusted peer the chain
    /// is read (<see cref="ForwardedFor"/>), and reused while the next request carries the same header.
    /// </summary>
    public void ResolveClient(AddressRanges trusted)
    {
        var peer = Http.Connection.RemoteIpAddress;
        if (!ReferenceEquals(peer, _peer))
        {
            RememberPeer(peer, trusted);
        }

        var request = Http.Request;
        IsHttps = request.IsHttps;
        if (!_peerTrusted)
        {
            (ClientAddress, ClientAddressText, ClientHash, ForwardedFor) = (_peerAddress, _peerText, _peerHash, _peerText);
            return;
        }

        var headers = request.Headers;
        if (headers[ProxyHeaderNames.XForwardedProto] is { Count: > 0 } proto)
        {
            IsHttps = string.Equals(proto[^1], "https", StringComparison.OrdinalIgnoreCase);
        }

        var header = headers[ProxyHeaderNames.XForwardedFor];
        if (header.Count == 0)
        {
            (ClientAddress, ClientAddressText, ClientHash, ForwardedFor) = (_peerAddress, _peerText, _peerHash, _peerText);
            return;
        }

        if (header.Count > 1 || !string.Equals(header[0], _lastForwardedFor, StringComparison.Ordinal))
        {
            var (client, chain) = Edge.ForwardedFor.Resolve(_peerAddress, _peerText, header, trusted);
            _lastResolved = (client, chain, HashOf(client), client.ToString());
            _lastForwardedFor = header.Count == 1 ? header[0] : null;
        }

        (ClientAddress, ForwardedFor, ClientHash, ClientAddressText) = _lastResolved;
    }

    string IRequestLine.Method => Http.Request.Method;

    string? IRequestLine.Host => Http.Request.Host.Value;

    string IRequestLine.PathAndQuery => Http.Request.Path.Value + Http.Request.QueryString.Value;

    public void WafMatched(string wafClass, bool blocked) => (WafClass, WafBlocked) = (wafClass, blocked);

    public string? First(string name) => Http.Request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private void RememberPeer(IPAddress? address, AddressRanges trusted)
    {
        _peer = address;
        _lastForwardedFor = null;
        if (address is null)
        {
            (_peerAddress, _peerText, _peerHash, _peerTrusted) = (IPAddress.None, "unknown", 0, false);
            return;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        (_peerAddress, _peerText, _peerHash, _peerTrusted) = (address, address.ToString(), HashOf(address), trusted.Contains(address));
    }

    /// <summary>FNV-1a over the address bytes: affinity and ip-hash see the same value on both engines.</summary>
    internal static uint HashOf(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        var hash = 2166136261u;
        foreach (var b in bytes[..written])
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    private CancellationTokenSource NewSource() => new(Timeout.InfiniteTimeSpan, _time);
}
