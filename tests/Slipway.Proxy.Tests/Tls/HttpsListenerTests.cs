using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Tls;

/// <summary>HTTPS listeners over real sockets: SNI, ALPN, protocol versions, forwarding over HTTP/2 and HTTP/1.1.</summary>
public sealed class HttpsListenerTests
{
    [Theory]
    [InlineData("a.example.com", "a.example.com")]
    [InlineData("b.example.com", "*.example.com")]
    [InlineData("x.b.example.com", "default.test")]
    [InlineData("example.com", "default.test")]
    [InlineData("elsewhere.test", "default.test")]
    [InlineData(null, "default.test")]
    public async Task Handshake_ServerName_MostSpecificCertificateElseTheDefault(string? serverName, string served)
    {
        await using var tls = await TlsHarness.StartAsync();

        Assert.Equal(served, await tls.CertificateForAsync(serverName));
    }

    [Fact]
    public async Task Handshake_ClientOffersH2_AlpnPicksH2()
    {
        await using var tls = await TlsHarness.StartAsync();
        await using var ssl = await tls.HandshakeAsync("a.example.com");

        Assert.Equal(SslApplicationProtocol.Http2, ssl.NegotiatedApplicationProtocol);
    }

    [Theory]
    [InlineData("2.0")]
    [InlineData("1.1")]
    public async Task Request_OverHttps_ForwardedAsHttps(string version)
    {
        await using var tls = await TlsHarness.StartAsync();
        using var client = tls.HttpsClient(Version.Parse(version));

        using var response = await client.GetAsync("/page");

        Assert.Equal((HttpStatusCode.OK, Version.Parse(version)), (response.StatusCode, response.Version));
        Assert.Equal("https /page", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Handshake_MinVersion13_RefusesTls12AndTakesTls13()
    {
        await using var tls = await TlsHarness.StartAsync(minVersion: SslProtocols.Tls13);

        await Assert.ThrowsAnyAsync<Exception>(async () => await (await tls.HandshakeAsync("a.example.com", SslProtocols.Tls12)).DisposeAsync());
        await using var ssl = await tls.HandshakeAsync("a.example.com", SslProtocols.Tls13);
        Assert.Equal(SslProtocols.Tls13, ssl.SslProtocol);
    }

    [Fact]
    public async Task Handshake_DefaultMinVersion_TakesTls12()
    {
        await using var tls = await TlsHarness.StartAsync();
        await using var ssl = await tls.HandshakeAsync("a.example.com", SslProtocols.Tls12);

        Assert.Equal(SslProtocols.Tls12, ssl.SslProtocol);
        Assert.Contains("GCM", ssl.NegotiatedCipherSuite.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// openssl with its own security level lowered to 0, so TLS 1.1 and SHA-1 suites are on the client's side and only the
    /// server can refuse them; the same client at 1.2 must get through, or the refusal proves nothing.
    /// </summary>
    [Fact]
    public async Task Handshake_Tls11OrWeakSuite_RefusedByTheServer()
    {
        var openssl = ExternalTool.Require("openssl", "openssl");
        await using var tls = await TlsHarness.StartAsync();
        string[] Client(params string[] extra) => ["s_client", "-connect", $"127.0.0.1:{tls.HttpsPort}", "-servername", "a.example.com", "-cipher", "DEFAULT:@SECLEVEL=0", .. extra];

        var tls12 = await ExternalTool.RunAsync(openssl, Client("-tls1_2"), stdin: "Q\n", seconds: 30);
        var tls11 = await ExternalTool.RunAsync(openssl, Client("-tls1_1"), stdin: "Q\n", seconds: 30);
        var cbc = await ExternalTool.RunAsync(openssl, Client("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0"), stdin: "Q\n", seconds: 30);

        Assert.True(tls12.ExitCode == 0, tls12.Output);
        Assert.True(tls11.ExitCode != 0, tls11.Output);
        Assert.DoesNotContain("no protocols available", tls11.Output, StringComparison.Ordinal);
        Assert.True(cbc.ExitCode != 0, cbc.Output);
    }

    [Fact]
    public async Task Listening_EdgeUrls_NameEachScheme()
    {
        await using var tls = await TlsHarness.StartAsync();

        Assert.Equal([$"http://127.0.0.1:{tls.HttpPort}", $"https://127.0.0.1:{tls.HttpsPort}"], tls.Proxy.EdgeUrls);
    }

    [Fact]
    public async Task Request_PlainListenerWithoutRedirect_Forwarded()
    {
        await using var tls = await TlsHarness.StartAsync();
        using var client = ProxyHarness.CreateClient(new Uri($"http://127.0.0.1:{tls.HttpPort}"));

        Assert.Equal("http /x", await client.GetStringAsync("/x"));
    }

    [Fact]
    public async Task Headers_HstsFromPresetOrSet_OnlyOverHttps()
    {
        foreach (var options in new[] { new ResponseHeaderOptions { Secure = true }, new ResponseHeaderOptions { Set = new Dictionary<string, string> { ["Strict-Transport-Security"] = "max-age=60" } } })
        {
            await using var tls = await TlsHarness.StartAsync(o => o with { Headers = options });
            using var https = tls.HttpsClient(HttpVersion.Version20);
            using var plain = ProxyHarness.CreateClient(new Uri($"http://127.0.0.1:{tls.HttpPort}"));

            using var secure = await https.GetAsync("/");
            using var clear = await plain.GetAsync("/");

            Assert.True(secure.Headers.Contains("Strict-Transport-Security"));
            Assert.False(clear.Headers.Contains("Strict-Transport-Security"));
        }
    }
}
