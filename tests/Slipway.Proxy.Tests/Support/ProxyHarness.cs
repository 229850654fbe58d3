using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Slipway.Core.Routing;
using Slipway.Proxy.Tls;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Support;

/// <summary>
/// A started <see cref="ProxyServer"/> on 127.0.0.1 (an HTTP/1.1 listener, plain or HTTPS, and an h2c one, port 0)
/// with a client and a sample recorder.
/// </summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private readonly TempDirectory? _certificates;

    private ProxyHarness(ProxyServer proxy, RecordingSink sink, TempDirectory? certificates)
    {
        Proxy = proxy;
        Sink = sink;
        _certificates = certificates;
        Tls = certificates is not null;
        Http1 = new Uri($"{(Tls ? "https" : "http")}://127.0.0.1:{proxy.EdgeEndpoints[0].Port}");
        H2c = new Uri($"http://127.0.0.1:{proxy.EdgeEndpoints[1].Port}");
        Client = CreateClient(Http1);
    }

    public ProxyServer Proxy { get; }

    public RecordingSink Sink { get; }

    public Uri Http1 { get; }

    public Uri H2c { get; }

    public HttpClient Client { get; }

    public int Port => Http1.Port;

    /// <summary>The HTTP/1.1 listener (<see cref="Http1"/>, <see cref="Port"/>) is an HTTPS one.</summary>
    public bool Tls { get; }

    /// <summary>The engines a test runs on (<c>proxy.engine</c>): the fast path with its hand-over, and the general path alone.</summary>
    public static TheoryData<string> Engines => new() { "auto", "general" };

    /// <summary>What the HTTP/1.1 listener a test talks to is: <c>http</c>, or <c>https</c> (a self-signed certificate made in the test).</summary>
    public static TheoryData<string> Transports => new() { "http", "https" };

    /// <summary>Every engine over every transport.</summary>
    public static TheoryData<string, string> EnginesAndTransports => new() { { "auto", "http" }, { "auto", "https" }, { "general", "http" }, { "general", "https" } };

    /// <param name="engine"><c>auto</c> (the default) or <c>general</c>, as in <see cref="Engines"/>.</param>
    /// <param name="transport"><c>http</c> (the default) or <c>https</c>, as in <see cref="Transports"/>.</param>
    public static async Task<ProxyHarness> StartAsync(
        RoutingTable table, Func<ProxyServerOptions, ProxyServerOptions>? configure = null, string engine = "auto", string transport = "http")
    {
        var sink = new RecordingSink();
        var certificates = transport == "https" ? new TempDirectory() : null;
        if (certificates is not null)
        {
            TestCertificates.Write(certificates.Path, "edge", ["localhost", "127.0.0.1"]);
        }

        var options = new ProxyServerOptions
        {
            Listen = [certificates is null ? "http://127.0.0.1:0" : "https://127.0.0.1:0", "h2c://127.0.0.1:0"],
            MetricsSink = sink,
            Engine = engine == "general" ? Core.Manifest.Model.ProxyEngine.General : Core.Manifest.Model.ProxyEngine.Auto,
            Tls = certificates is null ? null : new TlsOptions { Certificates = [new CertificateFiles(certificates.Combine("edge.pem"), certificates.Combine("edge.key"))] },
        };
        options = configure?.Invoke(options) ?? options;
        var proxy = new ProxyServer(options);
        proxy.Publisher.Publish(table);
        await proxy.StartAsync();
        return new ProxyHarness(proxy, sink, certificates);
    }

    /// <summary>A bare connection to the HTTP/1.1 listener, over TLS (ALPN http/1.1) when it is an HTTPS one.</summary>
    public Task<RawHttp> ConnectAsync() => Tls ? RawHttp.ConnectTlsAsync(Port, [SslApplicationProtocol.Http11]) : RawHttp.ConnectAsync(Port);

    /// <summary>A client for <paramref name="baseAddress"/>; over HTTPS it trusts the test's self-signed certificate.</summary>
    public static HttpClient CreateClient(Uri baseAddress, Version? version = null) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

    /// <summary>
    /// A port nothing listens on, so connecting is refused. The socket stays bound (not listening)
    /// for the life of the test process so no later listener, the proxy included, can take the port.
    /// </summary>
    public static int DeadPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        DeadPorts.Add(socket);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static readonly ConcurrentBag<Socket> DeadPorts = [];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Proxy.DisposeAsync();
        _certificates?.Dispose();
    }

    /// <summary>Every sample the proxy recorded.</summary>
    internal sealed class RecordingSink : IRequestMetricsSink
    {
        public ConcurrentQueue<RequestSample> Samples { get; } = new();

        public void Record(in RequestSample sample) => Samples.Enqueue(sample);
    }
}
