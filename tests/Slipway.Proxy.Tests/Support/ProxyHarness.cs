using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Slipway.Core.Routing;

namespace Slipway.Proxy.Tests.Support;

/// <summary>A started <see cref="ProxyServer"/> on 127.0.0.1 (HTTP/1.1 and h2c listeners, port 0) with a client and a sample recorder.</summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private ProxyHarness(ProxyServer proxy, RecordingSink sink)
    {
        Proxy = proxy;
        Sink = sink;
        Http1 = new Uri($"http://127.0.0.1:{proxy.EdgeEndpoints[0].Port}");
        H2c = new Uri($"http://127.0.0.1:{proxy.EdgeEndpoints[1].Port}");
        Client = CreateClient(Http1);
    }

    public ProxyServer Proxy { get; }

    public RecordingSink Sink { get; }

    public Uri Http1 { get; }

    public Uri H2c { get; }

    public HttpClient Client { get; }

    public int Port => Http1.Port;

    /// <summary>The engines a test runs on (<c>proxy.engine</c>): the fast path with its hand-over, and the general path alone.</summary>
    public static TheoryData<string> Engines => new() { "auto", "general" };

    /// <param name="engine"><c>auto</c> (the default) or <c>general</c>, as in <see cref="Engines"/>.</param>
    public static async Task<ProxyHarness> StartAsync(RoutingTable table, Func<ProxyServerOptions, ProxyServerOptions>? configure = null, string engine = "auto")
    {
        var sink = new RecordingSink();
        var options = new ProxyServerOptions
        {
            Listen = ["http://127.0.0.1:0", "h2c://127.0.0.1:0"],
            MetricsSink = sink,
            Engine = engine == "general" ? Core.Manifest.Model.ProxyEngine.General : Core.Manifest.Model.ProxyEngine.Auto,
        };
        options = configure?.Invoke(options) ?? options;
        var proxy = new ProxyServer(options);
        proxy.Publisher.Publish(table);
        await proxy.StartAsync();
        return new ProxyHarness(proxy, sink);
    }

    public static HttpClient CreateClient(Uri baseAddress, Version? version = null) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
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
    }

    /// <summary>Every sample the proxy recorded.</summary>
    internal sealed class RecordingSink : IRequestMetricsSink
    {
        public ConcurrentQueue<RequestSample> Samples { get; } = new();

        public void Record(in RequestSample sample) => Samples.Enqueue(sample);
    }
}
