using System.Security.Cryptography.X509Certificates;

namespace Slipway.Proxy.Tls.Acme;

/// <summary>The HTTP client ACME requests go through: the system's roots, or one private CA alone.</summary>
internal static class AcmeHttp
{
    public static HttpClient Create(string? trustedCa)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        if (trustedCa is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.ImportFromPemFile(trustedCa);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }
}
