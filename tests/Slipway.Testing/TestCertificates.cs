using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Slipway.Testing;

/// <summary>Self-signed server certificates written as PEM files, for HTTPS tests.</summary>
public static class TestCertificates
{
    /// <summary>Valid from a year before <see cref="TestClock.Start"/> for ten years, so a test clock or the real one both accept it.</summary>
    public static readonly DateTimeOffset NotBefore = TestClock.Start.AddYears(-1);

    public static readonly DateTimeOffset NotAfter = TestClock.Start.AddYears(9);

    /// <summary>
    /// Writes <c>{name}.pem</c> (certificate) and <c>{name}.key</c> (PKCS#8 EC key) into <paramref name="directory"/>,
    /// for <paramref name="hosts"/> as DNS (or IP address) subject alternative names; returns the certificate.
    /// </summary>
    public static X509Certificate2 Write(string directory, string name, string[] hosts, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hosts[0]}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (System.Net.IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var certificate = request.CreateSelfSigned(notBefore ?? NotBefore, notAfter ?? NotAfter);
        File.WriteAllText(Path.Combine(directory, name + ".pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, name + ".key"), key.ExportPkcs8PrivateKeyPem());
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }
}
