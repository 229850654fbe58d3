using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Manifest;
using Slipway.Testing;

namespace Slipway.Core.Tests.Manifest;

/// <summary><c>proxy.tls</c> as <c>validate</c> and <c>up</c> both judge it: every certificate loaded as the edge will load it.</summary>
public sealed class TlsSpecTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = TestClock.Create();

    public TlsSpecTests()
    {
        TestCertificates.Write(_directory.Path, "site", ["example.com", "*.example.com"]);
        TestCertificates.Write(_directory.Path, "other", ["shop.test"]);
        TestCertificates.Write(_directory.Path, "overlap", ["www.example.com", "example.com"]);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_HttpsListenerWithCertificates_IsValidAndBound()
    {
        var result = Load("""
            proxy:
              listen: ["http://127.0.0.1:8080", "https://127.0.0.1:8443"]
              tls:
                certificate: site.pem
                key: site.key
                certificates: [ { certificate: other.pem, key: other.key } ]
                minVersion: "1.3"
                redirectHttp: true
            """);

        Assert.True(result.IsValid, string.Join("\n", result.FormattedErrors));
        var tls = result.Manifest!.Proxy.Tls!;
        Assert.Equal(["site.pem", "other.pem"], tls.AllFiles().Select(f => f.Files.Certificate));
        Assert.Equal(("1.3", true), (tls.MinVersion, tls.RedirectHttp));
    }

    [Fact]
    public void Load_CertificateFileHoldingItsKey_IsValid()
    {
        File.WriteAllText(_directory.Combine("both.pem"), File.ReadAllText(_directory.Combine("site.pem")) + "\n" + File.ReadAllText(_directory.Combine("site.key")));

        var result = Load("""
            proxy:
              listen: ["https://127.0.0.1:8443"]
              tls: { certificate: both.pem }
            """);

        Assert.True(result.IsValid, string.Join("\n", result.FormattedErrors));
    }

    [Theory]
    [InlineData("tls: { certificate: missing.pem, key: site.key }", "app.yaml:4:23: proxy.tls.certificate ", "missing.pem does not exist")]
    [InlineData("tls: { certificate: site.pem, key: other.key }", "app.yaml:4:38: proxy.tls.key ", "other.key does not belong to the certificate in")]
    [InlineData("tls: { certificate: site.pem }", "app.yaml:4:23: proxy.tls.certificate ", "site.pem holds no private key; name the key file in `key`")]
    [InlineData("tls: { certificate: site.pem, key: site.pem }", "app.yaml:4:38: proxy.tls.key ", "site.pem holds no private key")]
    [InlineData("tls: { certificate: site.key, key: site.key }", "app.yaml:4:23: proxy.tls.certificate ", "site.key holds no certificate")]
    [InlineData("tls: { certificate: site.pem, key: encrypted.key }", "app.yaml:4:38: proxy.tls.key ", "encrypted.key holds an encrypted private key, and Slipway reads unencrypted keys only")]
    [InlineData("tls: { certificate: site.pem, key: site.key, minVersion: \"1.1\" }", "app.yaml:4:60: proxy.tls.minVersion ", "must be \"1.2\" or \"1.3\"")]
    [InlineData("tls: { certificate: site.pem, key: site.key, certificates: [ { certificate: overlap.pem, key: overlap.key } ] }", "app.yaml:4:79: proxy.tls.certificates[0].certificate ", "names example.com, as site.pem does; a host name may have one certificate")]
    public void Load_CertificateThatCannotServe_RefusedAtTheKeyWithTheFile(string tls, string place, string reason)
    {
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            File.WriteAllText(_directory.Combine("encrypted.key"), key.ExportEncryptedPkcs8PrivateKeyPem("secret", new(System.Security.Cryptography.PbeEncryptionAlgorithm.Aes128Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 1000)));
        }

        var errors = Load($"proxy:\n  listen: [\"https://127.0.0.1:8443\"]\n  {tls}\n").FormattedErrors;

        Assert.Contains(errors, e => e.StartsWith(place, StringComparison.Ordinal) && e.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ExpiredOrNotYetValidCertificate_Refused()
    {
        TestCertificates.Write(_directory.Path, "old", ["example.com"], TestClock.Start.AddYears(-2), TestClock.Start.AddDays(-1));
        TestCertificates.Write(_directory.Path, "future", ["example.com"], TestClock.Start.AddDays(1), TestClock.Start.AddYears(1));

        var expired = Load("proxy:\n  listen: [\"https://127.0.0.1:8443\"]\n  tls: { certificate: old.pem, key: old.key }\n").FormattedErrors;
        var early = Load("proxy:\n  listen: [\"https://127.0.0.1:8443\"]\n  tls: { certificate: future.pem, key: future.key }\n").FormattedErrors;

        Assert.Contains(expired, e => e.Contains("proxy.tls.certificate", StringComparison.Ordinal) && e.Contains("old.pem expired on 2025-12-31 00:00:00 UTC; renew it", StringComparison.Ordinal));
        Assert.Contains(early, e => e.Contains("future.pem is not valid before 2026-01-02 00:00:00 UTC", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("listen: [\"https://127.0.0.1:8443\"]\n  tls: { certificate: site.pem, key: site.key, redirectHttp: true }", "proxy.tls.redirectHttp sends plain-HTTP clients to the HTTPS listener, so `proxy.listen` needs both")]
    [InlineData("listen: [\"https://127.0.0.1:8443\"]", "proxy.listen[0] is https but `proxy.tls` is not set")]
    public void Load_HttpsWithoutItsCounterpart_Refused(string proxy, string expected) =>
        Assert.Contains(Load($"proxy:\n  {proxy}\n").FormattedErrors, e => e.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void Load_AcmeAlone_ValidWithLetsEncryptByDefault()
    {
        var result = Load("""
            proxy:
              listen: ["http://127.0.0.1:8080", "https://127.0.0.1:8443"]
              tls:
                acme: { email: ops@example.com, hosts: [shop.example.com, www.example.com] }
            """);

        Assert.True(result.IsValid, string.Join("\n", result.FormattedErrors));
        var acme = result.Manifest!.Proxy.Tls!.Acme!;
        Assert.Equal(("https://acme-v02.api.letsencrypt.org/directory", "ops@example.com"), (acme.Directory, acme.Email));
        Assert.Equal(["shop.example.com", "www.example.com"], acme.Hosts);
        Assert.Empty(result.Manifest.Proxy.Tls.AllFiles());
    }

    [Theory]
    [InlineData("listen: [\"https://127.0.0.1:8443\"]\n  tls: { acme: { hosts: [shop.example.com] } }", "app.yaml:4:16: proxy.tls.acme proves each host over plain HTTP")]
    [InlineData("listen: [\"http://127.0.0.1:80\", \"https://127.0.0.1:443\"]\n  tls: { acme: { hosts: [\"*.example.com\"] } }", "proxy.tls.acme.hosts[0] is a wildcard (*.example.com), which HTTP-01 cannot prove")]
    [InlineData("listen: [\"http://127.0.0.1:80\", \"https://127.0.0.1:443\"]\n  tls: { acme: { hosts: [localhost] } }", "proxy.tls.acme.hosts[0] must be a DNS name")]
    [InlineData("listen: [\"http://127.0.0.1:80\", \"https://127.0.0.1:443\"]\n  tls: { acme: { hosts: [a.example.com], directory: \"http://ca.test/dir\" } }", "proxy.tls.acme.directory must be the https:// URL of an ACME directory")]
    [InlineData("listen: [\"http://127.0.0.1:80\", \"https://127.0.0.1:443\"]\n  tls: { acme: { hosts: [] } }", "proxy.tls.acme.hosts must name at least one host")]
    [InlineData("listen: [\"http://127.0.0.1:80\", \"https://127.0.0.1:443\"]\n  tls: { certificate: site.pem, key: site.key, acme: { hosts: [example.com] } }", "proxy.tls.acme.hosts[0] is example.com, which site.pem already names")]
    [InlineData("listen: [\"http://127.0.0.1:80\", \"https://127.0.0.1:443\"]\n  tls: { acme: { hosts: [a.example.com], trustedCa: ca.pem } }", "proxy.tls.acme.trustedCa names a file that does not exist")]
    [InlineData("listen: [\"https://127.0.0.1:443\"]\n  tls: { minVersion: \"1.3\" }", "proxy.tls needs `certificate` (a PEM file) or `acme`")]
    public void Load_AcmeThatCannotWork_Refused(string proxy, string expected) =>
        Assert.Contains(Load($"proxy:\n  {proxy}\n").FormattedErrors, e => e.Contains(expected, StringComparison.Ordinal));

    private ManifestLoadResult Load(string yaml) =>
        ManifestLoader.LoadText(("app: a\n" + yaml).ReplaceLineEndings("\n"), "app.yaml", _directory.Path, time: _time);
}
