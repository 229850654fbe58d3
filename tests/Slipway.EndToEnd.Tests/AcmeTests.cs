using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// "From a domain name to HTTPS in one change": `slipway up` with <c>proxy.tls.acme</c> and no certificate file, a real
/// Pebble as the CA (trusted through <c>trustedCa</c>) validating over the daemon's plain-HTTP listener, while that
/// listener redirects everything else to HTTPS.
/// </summary>
public sealed class AcmeTests : IAsyncLifetime
{
    private const string Host = "shop.acme.test";
    private readonly TempDirectory _dir = new();
    private SlipwayProcess? _daemon;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.StopAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Up_AcmeHostsOnly_CertificateIssuedByTheCaAndServedOverHttpsWithoutRestart()
    {
        int http = FreePort.Next(), https = FreePort.Next();
        await using var pebble = await Pebble.StartAsync(http);
        File.Copy(pebble.ServerCertificateFile, _dir.Combine("pebble-ca.pem"));
        var manifest = _dir.Combine("slipway.yaml");
        await File.WriteAllTextAsync(manifest, string.Create(CultureInfo.InvariantCulture, $$"""
            app: acme-shop
            proxy:
              listen: ["http://127.0.0.1:{{http}}", "https://127.0.0.1:{{https}}"]
              tls:
                acme:
                  email: ops@example.com
                  directory: "{{pebble.DirectoryUrl}}"
                  hosts: [{{Host}}]
                  trustedCa: pebble-ca.pem
                redirectHttp: true
            services:
              web:
                run: { command: dotnet, args: ["{{BuildOutput.DemoApp}}"], env: { DEMO_VERSION: "v1" } }
                routes: [ { path: / } ]
                health:
                  readiness: { http: /ready, period: 1s, timeout: 1s }
            """));

        var daemon = _daemon = new SlipwayProcess(_dir.Path, "up", manifest, "--state-dir", _dir.Combine("state"), "--api", "127.0.0.1:0");
        await daemon.UntilAsync(() => daemon.Output.Contains("certificate-issued", StringComparison.Ordinal), "the certificate from Pebble", 90);
        await daemon.UntilAsync(() => daemon.Output.Contains(" ready ", StringComparison.Ordinal), "a ready instance", 90);
        var root = await pebble.RootAsync();
        using var client = Client(root);

        using var secure = await client.GetAsync(new Uri($"https://{Host}:{https}/"));
        using var plain = await client.GetAsync(new Uri($"http://{Host}:{http}/page"));

        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal(HttpStatusCode.PermanentRedirect, plain.StatusCode);
        Assert.Equal($"https://{Host}:{https}/page", plain.Headers.Location!.OriginalString);
        Assert.Contains($"{Host}: issued by Pebble Intermediate", daemon.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate-failed", daemon.Output, StringComparison.Ordinal);

        var api = daemon.Output.Split('\n').First(l => l.StartsWith("slipway: control API on ", StringComparison.Ordinal))["slipway: control API on ".Length..].Trim();
        using var certs = new SlipwayProcess(_dir.Path, "certs", "--server", api, "--state-dir", _dir.Combine("state"));
        Assert.Equal(0, await certs.WaitForExitAsync());
        var row = certs.Output.Split('\n').Single(l => l.StartsWith($"acme:{Host}", StringComparison.Ordinal));
        Assert.Contains($" acme   {Host} ", row, StringComparison.Ordinal);
        Assert.Contains("Pebble Intermediate", row, StringComparison.Ordinal);
        Assert.Contains("ok: issued by Pebble Intermediate", row, StringComparison.Ordinal);
    }

    /// <summary>Validates the served chain up to Pebble's root for <see cref="Host"/>, which resolves to 127.0.0.1 here only.</summary>
    private static HttpClient Client(X509Certificate2 root)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        return new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = { CertificateChainPolicy = policy },
        })
        { Timeout = TimeSpan.FromSeconds(10) };
    }
}
