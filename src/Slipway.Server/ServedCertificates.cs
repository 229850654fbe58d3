using Slipway.Proxy.Tls;

namespace Slipway.Server;

/// <summary>
/// The expiry of the certificates the HTTPS listeners serve, by the file the manifest names: what is in use, not what
/// is on disk, so a renewal that was rejected (the old certificate still serving) keeps <c>certificate-expiring</c>
/// counting down on the old date.
/// </summary>
internal static class ServedCertificates
{
    /// <param name="names">The manifest's certificate paths, in the store's order (the default first).</param>
    public static Func<IReadOnlyList<(string Certificate, DateTimeOffset NotAfter)>> Expiry(CertificateStore store, IReadOnlyList<string> names) =>
        () => [.. store.Current.Certificates.Select((certificate, i) => (names[i], certificate.NotAfter))];
}
