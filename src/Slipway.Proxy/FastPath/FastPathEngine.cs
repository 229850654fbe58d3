using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Forwarding;
using Slipway.Proxy.Routing;
using Slipway.Proxy.Transport;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// The HTTP/1.1 fast path (<c>proxy.engine: auto</c>): a Kestrel connection middleware on the plain HTTP/1.1
/// listeners, and after TLS on the HTTPS ones, that reads request heads straight off the connection's pipe and
/// forwards the common case itself over backend connections it owns. Everything else it hands, with the connection,
/// to Kestrel's HTTP layer and the general forwarder. What it shares with the general path (routing, revision choice,
/// load balancing, passive health, retries and their budget, metrics, the access log) is the same code, called from
/// here.
/// </summary>
internal sealed class FastPathEngine : IDisposable
{
    /// <summary>
    /// The largest request body the fast path forwards: one it holds whole (it must have arrived with its head), so
    /// a retry can send it again. Larger bodies, and any that are still on their way, stream on the general path.
    /// </summary>
    public const int MaxHeldBody = 64 * 1024;

    public FastPathEngine(
        Forwarder forwarder, RoutingTablePublisher tables, ProxyCounters counters, TimeProvider time, Random random, TimeSpan keepAlive, TimeSpan backendIdleTimeout, long maxRequestBody, ILogger logger,
        ReadinessEngine? readiness = null, bool backendLanes = true)
    {
        Forwarder = forwarder;
        Tables = tables;
        Counters = counters;
        Time = time;
        Random = random;
        KeepAlive = keepAlive;
        Logger = logger;
        Date = new DateHeader(time);
        Heartbeat = new TimeoutHeartbeat(time);
        MaxBody = Math.Min(maxRequestBody, MaxHeldBody);
        Pools = new BackendPools(time, backendIdleTimeout, readiness, backendLanes);
        tables.Published += Pools.Sweep;
    }

    /// <summary>The largest body the fast path takes: <see cref="MaxHeldBody"/>, or <c>maxRequestBody</c> when smaller (the general path answers 413 above it).</summary>
    public long MaxBody { get; }

    public Forwarder Forwarder { get; }

    public RoutingTablePublisher Tables { get; }

    public ProxyCounters Counters { get; }

    public TimeProvider Time { get; }

    public Random Random { get; }

    /// <summary>Kestrel's keep-alive timeout, which the fast path applies between requests.</summary>
    public TimeSpan KeepAlive { get; }

    public ILogger Logger { get; }

    public DateHeader Date { get; }

    /// <summary>The connections' timeouts: keep-alive between requests, and the routes' connect, first-byte and idle ones.</summary>
    public TimeoutHeartbeat Heartbeat { get; }

    /// <summary>The idle backend connections, each closed after the general path's <c>PooledConnectionIdleTimeout</c> unused.</summary>
    public BackendPools Pools { get; }

    /// <summary>
    /// Kestrel's socket transport schedules inline (<c>UnsafePreferInlineScheduling</c>): a read of the pipe resumes
    /// on the epoll thread that received the bytes, so the fast path's request runs there with no hand-off. A connection
    /// handed to the general path then gets a <see cref="ThreadPoolTransport"/> first.
    /// </summary>
    public bool InlineTransport { get; init; }

    /// <summary>
    /// Kestrel's <c>MinResponseDataRate</c>, which the fast path applies to a flush that waits for the client (null:
    /// off, as on the general path).
    /// </summary>
    public ResponseDataRate? ResponseRate { get; init; }

    /// <summary>
    /// The proxy-wide policies the fast path does not apply itself: with any of them on, every request takes the
    /// general path and the middleware is not installed at all (trusted proxies, response headers and compression
    /// rewrite what the fast path copies as bytes).
    /// </summary>
    public static bool Fits(EdgeSettings edge) =>
        edge.TrustedProxies.IsEmpty && edge.Compression is null && edge.Headers.IsEmpty;

    /// <summary>
    /// Whether the fast path goes on the edge's plain listeners too: <c>redirectHttp</c> answers every request there
    /// (but ACME's) instead of forwarding it. It never redirects a request that came over TLS or to a
    /// service-to-service listener, so those take the fast path with it on.
    /// </summary>
    public static bool FitsPlainEdge(EdgeSettings edge) => edge.Redirect is null;

    /// <summary>The connection middleware for a plain listener: <c>listen.Use(engine.Use)</c>.</summary>
    public ConnectionDelegate Use(ConnectionDelegate next) => connection => new FastPathConnection(this, connection, next, https: false).RunAsync();

    /// <summary>
    /// The connection middleware for an HTTPS listener, installed after <c>UseHttps</c>: the pipe it reads is the
    /// decrypted one. A connection that agreed on anything but HTTP/1.1 in ALPN (h2) is Kestrel's from the start;
    /// one without ALPN is HTTP/1.1, as Kestrel reads it too.
    /// </summary>
    public ConnectionDelegate UseOverTls(ConnectionDelegate next) => connection => IsHttp1(connection)
        ? new FastPathConnection(this, connection, next, https: true).RunAsync()
        : next(connection);

    private static bool IsHttp1(ConnectionContext connection)
    {
        var protocol = connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol ?? default;
        return protocol.IsEmpty || protocol.Span.SequenceEqual(SslApplicationProtocol.Http11.Protocol.Span);
    }

    public void Dispose()
    {
        Tables.Published -= Pools.Sweep;
        Heartbeat.Dispose();
        Pools.Dispose();
    }
}
