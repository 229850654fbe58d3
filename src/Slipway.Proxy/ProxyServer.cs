using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Proxy.FastPath;
using Slipway.Proxy.Endpoints;
using Slipway.Proxy.Forwarding;
using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Routing;
using Slipway.Proxy.Tls;
using Slipway.Proxy.Tls.Acme;
using Slipway.Proxy.Transport;

namespace Slipway.Proxy;

/// <summary>
/// The data plane: Kestrel listeners (edge and service-to-service) in front of the forwarder.
/// The control plane steers it through <see cref="Publisher"/> and drains through
/// <see cref="EndpointLoad"/> and <see cref="CloseWebSockets"/>.
/// </summary>
internal sealed class ProxyServer : IAsyncDisposable
{
    private readonly ProxyServerOptions _options;
    private readonly ILogger _logger;
    private readonly EndpointRegistry _registry;
    private readonly RoutingTablePublisher _publisher;
    private readonly HttpMessageInvoker _client;
    private readonly ProxyApplication _application;
    private readonly EdgeSettings _edge;
    private readonly FastPathEngine? _fastPath;
    private readonly List<(ListenOptions Listen, bool Internal, string? Service, IPEndPoint? Bound)> _listeners = [];
    private WebApplication? _host;
    private int _openConnections;
    private IServer? _server;
    private int _state;

    public ProxyServer(ProxyServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = options.LoggerFactory.CreateLogger("Slipway.Proxy");
        _registry = new EndpointRegistry(options.PassiveHealth, options.TimeProvider);
        var compiler = new TableCompiler(_registry, new LoadBalancingPolicies(options.Random), options.Defaults, _logger);
        _publisher = new RoutingTablePublisher(compiler, _registry, _logger);
        _client = BackendClient.Create(options.Backend, options.TimeProvider);
        _edge = new EdgeSettings(options);
        var forwarder = new Forwarder(
            _publisher, _client, options.TimeProvider, options.Random, options.MetricsSink, Counters,
            options.AccessLog, options.QueueLimitPerService, options.PassiveHealth.CountServerErrors, _edge, _logger,
            options.LoggerFactory.CreateLogger(AccessLogOptions.Category));
        _application = new ProxyApplication(forwarder, options.TimeProvider);
        _fastPath = options.Engine == ProxyEngine.Auto && FastPathEngine.Fits(_edge)
            ? new FastPathEngine(
                forwarder, _publisher, Counters, options.TimeProvider, options.Random, options.KeepAliveTimeout, options.Backend.PooledConnectionIdleTimeout, _edge.MaxRequestBody, _logger,
                Readiness(options), options.BackendLanes)
            {
                InlineTransport = options.InlineScheduling,
                ResponseRate = options.MinResponseDataRate is { } rate ? new ResponseDataRate(rate) : null,
            }
            : null;
    }

    /// <summary>The readiness engine the fast path's receives go through, or null for <see cref="System.Net.Sockets.Socket"/>'s own.</summary>
    private static ReadinessEngine? Readiness(ProxyServerOptions options) =>
        options.ReadinessReceives && ReadinessEngine.IsSupported ? ReadinessEngine.Shared : null;

    /// <summary>Where the control plane publishes routing tables; one atomic swap per call.</summary>
    public IRoutingTablePublisher Publisher => _publisher;

    /// <summary>In-flight requests and WebSockets per endpoint id, for draining.</summary>
    public IEndpointLoad EndpointLoad => _registry;

    public ProxyCounters Counters { get; } = new();

    /// <summary>The HTTP/1.1 fast path, when installed (tests look at its backend connections).</summary>
    internal FastPathEngine? FastPath => _fastPath;

    /// <summary>Client connections open on the edge and internal listeners.</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>From now on every HTTP/1.1 response closes its connection (see <see cref="ProxyApplication.BeginClosing"/>).</summary>
    public void BeginClosing() => _application.BeginClosing();

    /// <summary>The bound edge endpoints (ports resolved), in the order of <see cref="ProxyServerOptions.Listen"/>.</summary>
    public IReadOnlyList<IPEndPoint> EdgeEndpoints { get; private set; } = [];

    /// <summary>The bound edge listeners as URLs (<c>https://127.0.0.1:8443</c>), in the same order.</summary>
    public IReadOnlyList<string> EdgeUrls { get; private set; } = [];

    /// <summary>The certificates the HTTPS listeners serve, once started; null without <see cref="ProxyServerOptions.Tls"/>.</summary>
    public CertificateStore? Certificates { get; private set; }

    /// <summary>The HTTP-01 answers the plain-HTTP listeners serve; null without ACME.</summary>
    public AcmeChallenges? AcmeChallenges => _options.Tls?.Challenges;

    /// <summary>The bound service-to-service endpoint for each service.</summary>
    public IReadOnlyDictionary<string, IPEndPoint> InternalEndpoints { get; private set; } = new Dictionary<string, IPEndPoint>();

    /// <summary>
    /// Reads the HTTPS listeners' certificates into <see cref="Certificates"/> (once; <see cref="StartAsync"/> does it
    /// when the caller did not), so a bad file is refused before anything accepts.
    /// </summary>
    /// <exception cref="Core.Tls.CertificateFileException">A certificate or key file cannot serve; it is named.</exception>
    public CertificateStore? LoadCertificates()
    {
        if (Certificates is null && _options.Listen.Select(ListenAddress.Parse).Any(a => a.Tls))
        {
            Certificates = new CertificateStore(
                _options.Tls ?? throw new InvalidOperationException("an https:// listener needs ProxyServerOptions.Tls"), _options.TimeProvider, _logger);
        }

        return Certificates;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The proxy was already started.");
        }

        var addresses = _options.Listen.Select(ListenAddress.Parse).ToList();
        LoadCertificates();

        // A bare LF is not a line end at the edge: a header value carrying one is refused (400)
        // instead of being read as two headers. Kestrel's switch is process-wide.
        AppContext.SetSwitch("Microsoft.AspNetCore.Server.Kestrel.DisableHttp1LineFeedTerminators", true);

        // Kestrel comes from an empty WebApplication's container, not from `new KestrelServer(...)`:
        // only the container wires the pinned-block memory pool; a hand-made socket transport falls
        // back to an ArrayPool-backed one that allocates on every large upload. The host itself is
        // never started: no hosted services, no middleware, we drive the server directly.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(_options.LoggerFactory);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = _options.InlineScheduling);
        if (_options.DirectTransport && _fastPath is not null)
        {
            // Kestrel picks a transport per endpoint: this one binds only the DirectEndPoints given below.
            var readiness = Readiness(_options);
            builder.Services.AddSingleton<IConnectionListenerFactory>(services => new DirectSocketTransportFactory(services.GetRequiredService<IMemoryPoolFactory<byte>>(), readiness));
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.AllowSynchronousIO = false;

            // Header bytes pass through unchanged both ways rather than being refused as non-ASCII.
            kestrel.RequestHeaderEncodingSelector = static _ => Encoding.Latin1;
            kestrel.ResponseHeaderEncodingSelector = static _ => Encoding.Latin1;
            // The body limit is the forwarder's (it answers 413 before forwarding, and cuts a chunked body the
            // backend is already reading); Kestrel's would only throw while the body is being copied.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxRequestHeadersTotalSize = _options.MaxRequestHeadersTotalSize;
            kestrel.Limits.MaxConcurrentConnections = _options.MaxConnections;
            kestrel.Limits.RequestHeadersTimeout = _options.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = _options.KeepAliveTimeout;
            kestrel.Limits.MinResponseDataRate = _options.MinResponseDataRate;
            kestrel.Limits.MinRequestBodyDataRate = _options.MinRequestBodyDataRate;
            foreach (var (url, address) in _options.Listen.Zip(addresses))
            {
                var plainFastPath = !address.Tls && _fastPath is not null && FastPathEngine.FitsPlainEdge(_edge)
                    && address.Protocols == HttpProtocols.Http1;
                Listen(kestrel, url, address.EndPoint, direct: plainFastPath && _options.DirectTransport, listen =>
                {
                    listen.Protocols = address.Protocols;
                    if (_options.InlineScheduling && !plainFastPath)
                    {
                        // Not the fast path's listener: the general path's, off the epoll thread (first, so the TLS handshake too).
                        listen.Use(ThreadPoolTransport.Use);
                    }

                    if (address.Tls)
                    {
                        // A handed-over https:// socket terminates TLS exactly as one Kestrel bound.
                        HttpsListener.Configure(listen, Certificates!);
                        if (_fastPath is not null)
                        {
                            // After UseHttps: the fast path reads the decrypted pipe, and leaves h2 to Kestrel.
                            listen.Use(_fastPath.UseOverTls);
                        }
                    }
                    else if (plainFastPath)
                    {
                        listen.Use(_fastPath!.Use);
                    }

                    return (false, null);
                });
            }

            foreach (var (port, service) in _options.InternalServices)
            {
                // Loopback only: these addresses are for other services on this machine, never the edge.
                Listen(kestrel, "internal:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture), new IPEndPoint(IPAddress.Loopback, port), direct: _fastPath is not null && _options.DirectTransport, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    if (_fastPath is not null)
                    {
                        listen.Use(_fastPath.Use);
                    }
                    else if (_options.InlineScheduling)
                    {
                        listen.Use(ThreadPoolTransport.Use);
                    }

                    return (true, service);
                });
            }
        });
        _host = builder.Build();
        _server = _host.Services.GetRequiredService<IServer>();

        // Fixed internal ports are known now; port-0 ones once bound (nobody can reach those earlier).
        _publisher.SetInternalPorts(_options.InternalServices.Where(p => p.Key != 0).ToDictionary(p => p.Key, p => p.Value));
        await _server.StartAsync(_application, cancellationToken).ConfigureAwait(false);

        var edge = new List<IPEndPoint>();
        var internalEndpoints = new Dictionary<string, IPEndPoint>(StringComparer.Ordinal);
        var internalPorts = new Dictionary<int, string>();
        foreach (var (listen, isInternal, service, known) in _listeners)
        {
            var bound = known ?? listen.IPEndPoint!;
            if (isInternal)
            {
                internalEndpoints[service!] = bound;
                internalPorts[bound.Port] = service!;
                Log.InternalListener(_logger, bound.Port, service!);
            }
            else
            {
                edge.Add(bound);
            }
        }

        EdgeEndpoints = edge;
        EdgeUrls = [.. edge.Select((endpoint, i) => (addresses[i].Tls ? "https://" : addresses[i].Protocols == HttpProtocols.Http2 ? "h2c://" : "http://") + endpoint)];
        if (_edge.Redirect is { } redirect)
        {
            redirect.Bind(
                edge.Where((_, i) => !addresses[i].Tls).Select(e => e.Port),
                edge.Where((_, i) => addresses[i].Tls).Select(e => e.Port).FirstOrDefault());
        }

        Certificates?.StartWatching();
        InternalEndpoints = internalEndpoints;
        _publisher.SetInternalPorts(internalPorts);
        Log.Listening(_logger, string.Join(", ", edge));
    }

    /// <summary>
    /// Listens on the socket bound for <paramref name="key"/> when there is one (a duplicate fd, which Kestrel owns), else
    /// binds; on the direct transport (<see cref="ProxyServerOptions.DirectTransport"/>) when <paramref name="direct"/>.
    /// </summary>
    private void Listen(KestrelServerOptions kestrel, string key, IPEndPoint endPoint, bool direct, Func<ListenOptions, (bool Internal, string? Service)> configure)
    {
        if (_options.Bound.TryGetValue(key, out var bound))
        {
            if (direct)
            {
                kestrel.Listen(new DirectEndPoint(new FileHandleEndPoint((ulong)bound.Fd, FileHandleType.Auto)), listen => Configure(listen, configure, bound.EndPoint));
            }
            else
            {
                kestrel.ListenHandle((ulong)bound.Fd, listen => Configure(listen, configure, bound.EndPoint));
            }
        }
        else
        {
            kestrel.Listen(direct ? new DirectEndPoint(endPoint) : endPoint, listen => Configure(listen, configure, null));
        }
    }

    private void Configure(ListenOptions listen, Func<ListenOptions, (bool Internal, string? Service)> configure, IPEndPoint? bound)
    {
        // Counted first, so a connection still in its TLS handshake counts as open too.
        listen.Use(next => async connection =>
        {
            Interlocked.Increment(ref _openConnections);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _openConnections);
            }
        });
        var (isInternal, service) = configure(listen);
        _listeners.Add((listen, isInternal, service, bound));
    }

    /// <summary>Stops accepting, asks WebSockets to close, and lets in-flight requests finish until <paramref name="cancellationToken"/> fires.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1 || _server is null)
        {
            return;
        }

        _registry.CloseAllWebSockets();
        await _server.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a Close frame to every WebSocket client connected to the endpoint; returns how many.</summary>
    public int CloseWebSockets(string endpointId) => _registry.CloseWebSockets(endpointId);

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _options.TimeProvider))
        {
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }

        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }

        _client.Dispose();
        _fastPath?.Dispose();
        Certificates?.Dispose();
    }
}
