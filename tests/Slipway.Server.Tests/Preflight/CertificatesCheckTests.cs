using Slipway.Server.Preflight;
using Slipway.Server.Preflight.Checks;
using Slipway.Testing;

namespace Slipway.Server.Tests.Preflight;

/// <summary>Certificates made with CertificateRequest as PEM files on an HTTPS listener, judged on a test clock.</summary>
public sealed class CertificatesCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task RunAsync_ExpiredSoonAndValidCertificates_FailWarnOk()
    {
        foreach (var name in new[] { "expired", "soon", "good" })
        {
            TestCertificates.Write(_dir.Path, name, [name + ".shop.test"]); // validate refuses expired files; they expire while the daemon runs
        }

        var context = PreflightSetup.Context(_dir, """
            app: shop
            proxy:
              listen: ["https://127.0.0.1:0"]
              tls:
                certificate: good.pem
                key: good.key
                certificates:
                  - { certificate: soon.pem, key: soon.key }
                  - { certificate: expired.pem, key: expired.key }
            services:
              web: { upstream: ["127.0.0.1:9"] }
            """, TestClock.Create());
        var now = TestClock.Start;
        TestCertificates.Write(_dir.Path, "expired", ["old.shop.test"], now.AddYears(-1), now.AddDays(-1));
        TestCertificates.Write(_dir.Path, "soon", ["soon.shop.test"], now.AddYears(-1), now.AddDays(10));
        TestCertificates.Write(_dir.Path, "good", ["shop.test"], now.AddYears(-1), now.AddDays(90));

        var findings = await PreflightSetup.RunAsync(new CertificatesCheck(), context);

        Assert.Equal(
            [
                ("certificate good.pem", PreflightStatus.Ok),
                ("certificate soon.pem", PreflightStatus.Warn),
                ("certificate expired.pem", PreflightStatus.Fail),
                ("proxy.listen", PreflightStatus.Ok),
            ],
            findings.Select(f => (f.Subject, f.Status)));
        Assert.Equal("expired: was valid until 2025-12-31 00:00 UTC", findings[2].Evidence);
        Assert.Equal("valid until 2026-01-11 00:00 UTC, 10 days from now", findings[1].Evidence);
    }

    [Fact]
    public async Task RunAsync_PublicHttpsWithoutRedirectOrHsts_WarnsForEach()
    {
        TestCertificates.Write(_dir.Path, "shop", ["shop.test"]);
        const string Manifest = """
            app: shop
            proxy:
              listen: ["http://0.0.0.0:8080", "https://0.0.0.0:8443"]
              tls: { certificate: shop.pem, key: shop.key REDIRECT }
              headers: HEADERS
            services:
              web: { upstream: ["127.0.0.1:9"] }
            """;
        var bare = PreflightSetup.Context(_dir, Manifest.Replace("REDIRECT", "", StringComparison.Ordinal).Replace("HEADERS", "none", StringComparison.Ordinal), TestClock.Create());
        var hardened = PreflightSetup.Context(_dir, Manifest.Replace("REDIRECT", ", redirectHttp: true", StringComparison.Ordinal).Replace("HEADERS", "secure", StringComparison.Ordinal), TestClock.Create());

        var warned = (await PreflightSetup.RunAsync(new CertificatesCheck(), bare)).Skip(1).ToList();
        var fine = (await PreflightSetup.RunAsync(new CertificatesCheck(), hardened)).Skip(1).ToList();

        Assert.Equal([("proxy.tls.redirectHttp", PreflightStatus.Warn), ("proxy.headers", PreflightStatus.Warn)], warned.Select(f => (f.Subject, f.Status)));
        Assert.Equal(["set proxy.tls.redirectHttp: true", "set proxy.headers: secure"], warned.Select(f => f.Fix));
        Assert.All(fine, f => Assert.Equal(PreflightStatus.Ok, f.Status));
    }

    public void Dispose() => _dir.Dispose();
}
