using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Routing;

namespace Slipway.Proxy.Forwarding;

/// <summary>
/// Per-request state, reused for every request on a connection (Kestrel hands it back through
/// IHostContextContainer), so the HttpContext wrapper, the cancellation source and the cached
/// client address are allocated once per connection, not per request.
/// </summary>
internal sealed class ProxyContext
{
    private static readonly Action<object?> CancelCallback = static state => ((ProxyContext)state!).CancelBackend();
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
    private readonly TimeProvider _time;
    private CancellationTokenSource _backend;
    private CancellationTokenRegistration _abortRegistration;
    private IPAddress? _clientAddress;
    private string? _clientAddressText;
    private uint _clientHash;
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

    public long RequestBytes { get; set; }

    public long ResponseBytes { get; set; }

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
        RequestBytes = 0;
        ResponseBytes = 0;
        RequestTrailers = null;
        Filter = default;
        _abortRegistration.Dispose();
        _abortRegistration = default;
        if (!_backend.TryReset())
        {
            _backend.Dispose();
            _backend = NewSource();
        }
    }

    public void Reset()
    {
        Http.Uninitialize();
        _initialized = false;
    }

    /// <summary>The client's address as text, cached while the connection's address stays the same object.</summary>
    public string ClientAddressText
    {
        get
        {
            var address = Http.Connection.RemoteIpAddress;
            if (!ReferenceEquals(address, _clientAddress))
            {
                Remember(address);
            }

            return _clientAddressText!;
        }
    }

    /// <summary>A stable hash of the client's address (FNV-1a over its bytes), for affinity and ip-hash.</summary>
    public uint ClientHash
    {
        get
        {
            var address = Http.Connection.RemoteIpAddress;
            if (!ReferenceEquals(address, _clientAddress))
            {
                Remember(address);
            }

            return _clientHash;
        }
    }

    private void Remember(IPAddress? address)
    {
        _clientAddress = address;
        if (address is null)
        {
            _clientAddressText = "unknown";
            _clientHash = 0;
            return;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        _clientAddressText = address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        var hash = 2166136261u;
        foreach (var b in bytes[..written])
        {
            hash = (hash ^ b) * 16777619u;
        }

        _clientHash = hash;
    }

    private CancellationTokenSource NewSource() => new(Timeout.InfiniteTimeSpan, _time);
}
