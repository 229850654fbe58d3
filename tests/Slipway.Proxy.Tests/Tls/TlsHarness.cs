using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Slipway.Proxy.Tests.Support;
using Slipway.Proxy.Tls;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Tls;

/// <summary>
/// A proxy with a plain and an HTTPS listener on 127.0.0.1 in front of a backend that answers with the scheme it was
/// told (<c>X-Forwarded-Proto</c>). Certificates: <c>default</c> (default.test), <c>exact</c> (a.example.com) and
/// <c>wildcard</c> (*.example.com), written as PEM files into a temp directory.
/// </summary>
internal sealed class TlsHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly TestBackend _backend;

    private TlsHarness(TempDirectory directory, TestBackend backend, ProxyServer proxy, FakeTimeProvider time)
    {
        _directory = directory;
        _backend = backend;
        Proxy = proxy;
        Time = time;
    }

    public ProxyServer Proxy { get; }

    public FakeTimeProvider Time { get; }

    public int HttpPort => Proxy.EdgeEndpoints[0].Port;

    public int HttpsPort => Proxy.EdgeEndpoints[1].Port;

    public List<string> Rejections { get; } = [];

    public string File(string name) => _directory.Combine(name);

    public static async Task<TlsHarness> StartAsync(Func<ProxyServerOptions, ProxyServerOptions>? configure = null, SslProtocols minVersion = SslProtocols.Tls12, bool redirect = false, FakeTimeProvider? time = null)
    {
        var directory = new TempDirectory();
        TestCertificates.Write(directory.Path, "default", ["default.test"]);
        TestCertificates.Write(directory.Path, "exact", ["a.example.com"]);
        TestCertificates.Write(directory.Path, "wildcard", ["*.example.com"]);
        var backend = await TestBackend.StartAsync("web", context => context.Response.WriteAsync($"{context.Request.Headers["X-Forwarded-Proto"]} {context.Request.Path}"));
        time ??= TestClock.Create();
        TlsHarness? harness = null;
        var options = new ProxyServerOptions
        {
            Listen = ["http://127.0.0.1:0", "https://127.0.0.1:0"],
            TimeProvider = time,
            Tls = new TlsOptions
            {
                Certificates = [.. new[] { "default", "exact", "wildcard" }.Select(n => new CertificateFiles(directory.Combine(n + ".pem"), directory.Combine(n + ".key")))],
                MinVersion = minVersion,
                RedirectHttp = redirect,
                OnRejected = reason => harness!.Rejections.Add(reason),
            },
        };
        var proxy = new ProxyServer(configure?.Invoke(options) ?? options);
        proxy.Publisher.Publish(Table([Route("web#0", "web", path: "/")], Service("web", null, Revision("v1", 100, backend.Endpoint()))));
        await proxy.StartAsync();
        harness = new TlsHarness(directory, backend, proxy, time);
        return harness;
    }

    /// <summary>A TLS handshake to the HTTPS listener as <paramref name="serverName"/> (null: no SNI); the open stream.</summary>
    public async Task<SslStream> HandshakeAsync(string? serverName, SslProtocols protocols = SslProtocols.None)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, HttpsPort);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            // An IP address as the target host sends no SNI.
            TargetHost = serverName ?? "127.0.0.1",
            EnabledSslProtocols = protocols,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        });
        return ssl;
    }

    /// <summary>The DNS names of the certificate the server presents to <paramref name="serverName"/>.</summary>
    public async Task<string> CertificateForAsync(string? serverName)
    {
        await using var ssl = await HandshakeAsync(serverName);
        return NamesOf(X509CertificateLoader.LoadCertificate(ssl.RemoteCertificate!.GetRawCertData()));
    }

    public static string NamesOf(X509Certificate2 certificate) =>
        string.Join(",", certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()));

    /// <summary>A client for the HTTPS listener that trusts any certificate and remembers the last one it saw.</summary>
    public HttpClient HttpsClient(Version version, Action<X509Certificate2>? seen = null) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    seen?.Invoke(X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData()));
                    return true;
                },
            },
        })
        {
            BaseAddress = new Uri($"https://127.0.0.1:{HttpsPort}"),
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await _backend.DisposeAsync();
        _directory.Dispose();
    }
}
