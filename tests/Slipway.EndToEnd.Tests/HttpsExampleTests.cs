using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// examples/shop/https.yaml as the README runs it: a certificate from its openssl one-liner, `slipway up`, then HTTPS with HTTP/2
/// and HSTS, and plain HTTP redirected. A copy in a temp directory with free ports, so nothing is written into the repository.
/// </summary>
public sealed class HttpsExampleTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly List<SlipwayProcess> _daemons = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var daemon in _daemons)
        {
            await daemon.StopAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Up_HttpsExample_ServesHttp2WithHstsAndRedirectsPlainHttp()
    {
        int http = FreePort.Next(), https = FreePort.Next();
        await MakeCertificateAsync("site");
        var manifest = await CopyExampleAsync(http, https);

        var daemon = Up(manifest);
        await daemon.UntilAsync(() => daemon.Output.Contains(" ready ", StringComparison.Ordinal), "a ready instance", 90);
        Assert.Contains($"proxy listening on http://127.0.0.1:{http}, https://127.0.0.1:{https}", daemon.Output, StringComparison.Ordinal);

        using var client = TrustingClient();

        using var secure = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://shop.localhost:{https}/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact });
        using var plain = await client.GetAsync(new Uri($"http://shop.localhost:{http}/page?x=1"));

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (secure.StatusCode, secure.Version));
        Assert.Equal("max-age=31536000", secure.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal(HttpStatusCode.PermanentRedirect, plain.StatusCode);
        Assert.Equal($"https://shop.localhost:{https}/page?x=1", plain.Headers.Location!.OriginalString);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    /// <summary>
    /// A planned restart hands the https:// socket over like any other: the new daemon terminates TLS on it with the
    /// same certificate (SNI, HTTP/2), and no HTTPS request fails across the hand-over.
    /// </summary>
    [Fact]
    public async Task UpTakeover_HttpsExample_NewDaemonServesTlsOnTheHandedOverSocketDroppingNothing()
    {
        int http = FreePort.Next(), https = FreePort.Next();
        await MakeCertificateAsync("site");
        var manifest = await CopyExampleAsync(http, https);
        var first = Up(manifest);
        await first.UntilAsync(() => first.Output.Split(" ready ").Length > 2, "two ready instances", 90);

        using var client = TrustingClient();
        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var answered = 0;
        var asking = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://shop.localhost:{https}/")
                    {
                        Version = HttpVersion.Version20,
                        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                    });
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Enqueue(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                    }

                    Interlocked.Increment(ref answered);
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue(e.Message);
                }
            }
        });
        await Wait.UntilAsync(() => Volatile.Read(ref answered) > 20, "HTTPS requests to flow");

        var second = Up(manifest, "--takeover");
        Assert.Equal(0, await first.WaitForExitAsync(120));
        var atHandover = Volatile.Read(ref answered);
        await Wait.UntilAsync(() => Volatile.Read(ref answered) > atHandover + 20, "HTTPS requests to the new daemon");
        await stop.CancelAsync();
        await asking;

        Assert.True(failures.IsEmpty, $"{failures.Count} failed of {answered}: {string.Join("; ", failures.Take(5))}\nold:\n{first.Output}\nnew:\n{second.Output}");
        Assert.Contains($"took over from pid {first.Pid}", second.Output, StringComparison.Ordinal);
        Assert.Contains($"proxy listening on http://127.0.0.1:{http}, https://127.0.0.1:{https}", second.Output, StringComparison.Ordinal);
        using var fresh = TrustingClient();
        using var secure = await fresh.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://shop.localhost:{https}/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact });
        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (secure.StatusCode, secure.Version));
        using var plain = await fresh.GetAsync(new Uri($"http://shop.localhost:{http}/page"));
        Assert.Equal(HttpStatusCode.PermanentRedirect, plain.StatusCode);
    }

    /// <summary>validate and up refuse the same certificate with the same words (one rule set).</summary>
    [Fact]
    public async Task ValidateAndUp_KeyOfAnotherCertificate_RefusedAlikeNamingTheFile()
    {
        await MakeCertificateAsync("site");
        await MakeCertificateAsync("other");
        File.Copy(_dir.Combine("other.key"), _dir.Combine("site.key"), overwrite: true);
        var manifest = await CopyExampleAsync(FreePort.Next(), FreePort.Next());

        using var validate = new SlipwayProcess(_dir.Path, "validate", manifest);
        var validateExit = await validate.WaitForExitAsync();
        var daemon = Up(manifest);
        var upExit = await daemon.WaitForExitAsync();

        var expected = $"proxy.tls.key the private key in {_dir.Combine("site.key")} does not belong to the certificate in {_dir.Combine("site.pem")}";
        Assert.NotEqual(0, validateExit);
        Assert.NotEqual(0, upExit);
        Assert.Contains(expected, validate.Output + validate.Error, StringComparison.Ordinal);
        Assert.Contains(expected, daemon.Output + daemon.Error, StringComparison.Ordinal);
    }

    private SlipwayProcess Up(string manifest, params string[] more)
    {
        var daemon = new SlipwayProcess(_dir.Path, ["up", manifest, "--state-dir", _dir.Combine("state"), "--api", "127.0.0.1:0", .. more]);
        _daemons.Add(daemon);
        return daemon;
    }

    /// <summary>A client that trusts only site.pem and reaches shop.localhost on 127.0.0.1, redirects not followed.</summary>
    private HttpClient TrustingClient()
    {
        var trusted = X509CertificateLoader.LoadCertificateFromFile(_dir.Combine("site.pem"));
        return new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = async (context, token) =>
            {
                // shop.localhost resolves to 127.0.0.1 without a resolver entry.
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, token);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == trusted.Thumbprint },
        })
        { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The README's one-liner, as written there.</summary>
    private async Task MakeCertificateAsync(string name)
    {
        var (exit, output) = await ExternalTool.RunAsync(ExternalTool.Require("openssl", "openssl"),
        [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "90", "-subj", "/CN=shop.localhost",
            "-addext", "subjectAltName=DNS:shop.localhost", "-keyout", _dir.Combine(name + ".key"), "-out", _dir.Combine(name + ".pem"),
        ]);
        Assert.True(exit == 0, output);
    }

    private async Task<string> CopyExampleAsync(int http, int https)
    {
        var text = (await File.ReadAllTextAsync(RepositoryRoot.File("examples", "shop", "https.yaml")))
            .Replace("127.0.0.1:8080", "127.0.0.1:" + http.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("127.0.0.1:8443", "127.0.0.1:" + https.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("../demo-app/bin/Release/net10.0/demo-app.dll", BuildOutput.DemoApp, StringComparison.Ordinal);
        var path = _dir.Combine("slipway.yaml");
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
