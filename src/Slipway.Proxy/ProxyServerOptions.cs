using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Forwarding;
using Slipway.Proxy.Health;
using Slipway.Proxy.Tls;

namespace Slipway.Proxy;

/// <summary>How the proxy is hosted. The routing itself comes later, through <see cref="ProxyServer.Publisher"/>.</summary>
internal sealed record ProxyServerOptions
{
    /// <summary>Kestrel's own limits as it makes them: where the defaults of the limits Slipway passes on come from.</summary>
    private static readonly KestrelServerLimits KestrelDefaults = new();

    /// <summary>Edge listeners: <c>http://0.0.0.0:8080</c> (HTTP/1.1), <c>h2c://…</c> (HTTP/2 only) or <c>https://…</c> (needs <see cref="Tls"/>). Port 0 picks a free port.</summary>
    public IReadOnlyList<string> Listen { get; init; } = ["http://127.0.0.1:8080"];

    /// <summary>
    /// Sockets already bound and listening, by listen URL (edge) or <c>internal:PORT</c>: Kestrel is given a duplicate
    /// fd of each instead of binding (the daemon binds first, or inherits them from the daemon before it).
    /// </summary>
    public IReadOnlyDictionary<string, (int Fd, System.Net.IPEndPoint EndPoint)> Bound { get; init; } = new Dictionary<string, (int, System.Net.IPEndPoint)>();

    /// <summary>The certificates and policy of the <c>https://</c> listeners; null when there are none.</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>Service-to-service listeners on 127.0.0.1: local port → service name. Port 0 picks a free port.</summary>
    public IReadOnlyDictionary<int, string> InternalServices { get; init; } = new Dictionary<int, string>();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public IRequestMetricsSink MetricsSink { get; init; } = NullMetricsSink.Instance;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Randomness for revision weights and load balancing; tests pass a seeded one. Must be thread-safe.</summary>
    public Random Random { get; init; } = Random.Shared;

    public ProxyDefaults Defaults { get; init; } = ProxyDefaults.Default;

    public PassiveHealthOptions PassiveHealth { get; init; } = PassiveHealthOptions.Default;

    public BackendClientOptions Backend { get; init; } = new();

    public AccessLogOptions AccessLog { get; init; } = new();

    /// <summary>Requests one service may hold waiting for an endpoint under its in-flight limit.</summary>
    public int QueueLimitPerService { get; init; } = 100;

    /// <summary>Kestrel's limit on the request header section; larger is answered 431 and never forwarded.</summary>
    public int MaxRequestHeadersTotalSize { get; init; } = 32 * 1024;

    /// <summary>Request bodies over this get 413 (by Content-Length before forwarding, by counting when chunked); null for none.</summary>
    public long? MaxRequestBodyBytes { get; init; }

    /// <summary>Kestrel's limit on open client connections (edge and service-to-service listeners together); null for none.</summary>
    public long? MaxConnections { get; init; }

    /// <summary>Kestrel's time for a client to send a request's headers (a slowloris client is cut off after it).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Kestrel closes a keep-alive connection idle this long.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>
    /// A client that reads a response slower than this (after the grace period) has its connection aborted: Kestrel's
    /// own limit on the general path, applied by the fast path to a flush that waits for the client
    /// (<c>FastPath/ResponseDataRate</c>); null for none. Kestrel's default (240 B/s after 5 s), read from Kestrel.
    /// </summary>
    public MinDataRate? MinResponseDataRate { get; init; } = KestrelDefaults.MinResponseDataRate;

    /// <summary>
    /// A client that sends a request body slower than this (after the grace period) gets 408, or its connection cut
    /// once the response started: Kestrel's limit, which covers the fast path too, since a body still on its way
    /// always goes to the general path; null for none. Kestrel's default (240 B/s after 5 s), read from Kestrel.
    /// </summary>
    public MinDataRate? MinRequestBodyDataRate { get; init; } = KestrelDefaults.MinRequestBodyDataRate;

    /// <summary>Peers whose X-Forwarded-For names the client; with none, every peer is the client.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    public ResponseHeaderOptions Headers { get; init; } = new();

    /// <summary>Null: responses go uncompressed.</summary>
    public CompressionOptions? Compression { get; init; }

    /// <summary>
    /// <see cref="ProxyEngine.Auto"/>: plain HTTP/1.1 listeners take the fast path (<c>FastPath/</c>) for the requests it
    /// can forward itself; <see cref="ProxyEngine.General"/>: every request goes through Kestrel's HTTP layer.
    /// </summary>
    public ProxyEngine Engine { get; init; } = ProxyEngine.Auto;

    /// <summary>
    /// Kestrel's <c>UnsafePreferInlineScheduling</c>: a connection's reads resume on the epoll thread that received the
    /// bytes and its writes are sent from the writer's thread, with no hand-off; the fast path's requests then run
    /// there, and connections of the general path are moved to the thread pool first
    /// (<see cref="FastPath.ThreadPoolTransport"/>). Off: on this 2-core machine it measured below the thread pool
    /// (src/Slipway.Proxy/README.md, "Inline scheduling"); benchmarks set it to compare.
    /// </summary>
    public bool InlineScheduling { get; init; }

    /// <summary>
    /// The fast path's plain HTTP/1.1 listeners accept on <see cref="Transport.DirectSocketTransportFactory"/>, which
    /// reads the client's socket straight (a request runs on the thread that received it, with no pipe hand-off),
    /// instead of Kestrel's socket transport; every other listener (TLS, HTTP/2, the general engine) keeps Kestrel's. On:
    /// in the quiet alternating runs of src/Slipway.Proxy/README.md, "The direct transport", it served 1.10x Kestrel's
    /// transport at 64 connections, 1.10-1.24x at 1-100 KB and level at 1,000 connections, with fewer context switches
    /// and less CPU per request in every case. <see cref="InlineScheduling"/> needs it off (it is Kestrel's transport's).
    /// </summary>
    public bool DirectTransport { get; init; } = true;

    /// <summary>
    /// On Linux, the fast path's receives (the direct transport's client sockets, the backend connections) go through
    /// <see cref="Transport.ReadinessEngine"/>, which calls <c>recv</c> only when epoll said the socket is readable, where
    /// .NET's socket engine tries each receive first and finds nothing half the time. Off: <see cref="System.Net.Sockets.Socket"/>'s
    /// own receives (benchmarks compare; src/Slipway.Proxy/README.md, "Receiving on readiness").
    /// </summary>
    public bool ReadinessReceives { get; init; } = true;

    /// <summary>
    /// With <see cref="ReadinessReceives"/>, the fast path keeps its idle backend connections per engine thread (a
    /// lane) and a request takes one whose events come to its own client's thread, so an exchange runs on one thread.
    /// Off: one stack per backend, connections spread over the threads as they are made (benchmarks compare;
    /// src/Slipway.Proxy/README.md, "One thread per exchange").
    /// </summary>
    public bool BackendLanes { get; init; } = true;
}
