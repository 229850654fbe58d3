using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Proxy.Tls;
using Slipway.Testing;

namespace Slipway.Server.Tests;

public sealed class ServedCertificatesTests
{
    [Fact]
    public void Expiry_AfterARejectedRenewal_StillTheServedCertificatesDate()
    {
        using var directory = new TempDirectory();
        var time = TestClock.Create();
        TestCertificates.Write(directory.Path, "site", ["example.com"], notAfter: TestClock.Start.AddDays(20));
        TestCertificates.Write(directory.Path, "shop", ["shop.test"], notAfter: TestClock.Start.AddDays(40));
        using var store = new CertificateStore(
            new TlsOptions
            {
                Certificates =
                [
                    new(directory.Combine("site.pem"), directory.Combine("site.key")) { Label = "certs/site.pem" },
                    new(directory.Combine("shop.pem"), directory.Combine("shop.key")) { Label = "certs/shop.pem" },
                ],
            },
            time, NullLogger.Instance);
        var expiry = ServedCertificates.Expiry(store);

        File.WriteAllText(directory.Combine("site.pem"), "not a certificate");
        store.Reload();

        Assert.Equal([("certs/site.pem", TestClock.Start.AddDays(20)), ("certs/shop.pem", TestClock.Start.AddDays(40))], expiry());
    }
}
