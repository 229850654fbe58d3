using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Slipway.Core.Tls;

namespace Slipway.Proxy.Tls;

/// <summary>
/// The handshake every HTTPS listener offers: TLS 1.2 and 1.3 (or 1.3 only), forward-secret AEAD suites only
/// (Mozilla's "intermediate" list without the finite-field DHE ones), ALPN h2 then http/1.1.
/// </summary>
internal static class TlsPolicy
{
    /// <summary>
    /// No CBC, RSA key exchange, SHA-1 MAC, 3DES or RC4 suite: those are what testssl.sh and sslscan flag. Every suite
    /// here is also allowed by HTTP/2 (RFC 9113 appendix A lists the ones it forbids). (Windows' SChannel takes no
    /// list; Slipway runs on Linux.)
    /// </summary>
    private static readonly CipherSuitesPolicy? Suites = OperatingSystem.IsWindows() ? null : new(
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]);

    private static readonly List<SslApplicationProtocol> Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    /// <summary>Options shared by every handshake that picks <paramref name="certificate"/>; SslStream copies what it needs.</summary>
    public static SslServerAuthenticationOptions ServerOptions(PemCertificate certificate, SslProtocols minVersion) => new()
    {
        // offline: the chain comes from the file and is sent as it is; nothing is fetched while loading.
        ServerCertificateContext = SslStreamCertificateContext.Create(certificate.Leaf, certificate.Intermediates, offline: true),
        EnabledSslProtocols = minVersion == SslProtocols.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13,
        CipherSuitesPolicy = Suites,
        ApplicationProtocols = Alpn,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
    };
}
