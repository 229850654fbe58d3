using Slipway.Proxy.Tls;

namespace Slipway.Server;

/// <summary>
/// The expiry of the certificates the HTTPS listeners serve, by the file the manifest names: what is in use, not what
/// is on disk, so a renewal that was rejected (the old certificate still serving) keeps <c>certificate-expiring</c>
/// counting down on the old date.
/// </summary>
internal static class ServedCertificates
{
    /// <summary>Each served certificate by its label: the manifest's path, or <c>acme:HOST</c>.</summary>
    public static Func<IReadOnlyList<(string Certificate, DateTimeOffset NotAfter)>> Expiry(CertificateStore store) =>
        () => [.. store.Current.Certificates.Select(served => (served.Files.Name, served.Certificate.NotAfter))];
}
