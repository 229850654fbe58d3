using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Slipway.Server;

/// <summary>
/// When the proxy's certificate file expires, for <c>certificate_expiry</c> and <c>/metrics</c>; read again only when
/// the file changes. The alert engine and metrics scrapes call it from different threads, hence the lock.
/// </summary>
internal sealed class CertificateExpiry(string name, string path)
{
    private readonly Lock _lock = new();
    private DateTime _readAt;
    private DateTimeOffset? _notAfter;

    /// <summary>The certificate as the manifest names it.</summary>
    public string Name { get; } = name;

    /// <summary>The certificate's NotAfter; null when the file is missing or not a certificate.</summary>
    public DateTimeOffset? Read()
    {
        lock (_lock)
        {
            return ReadLocked();
        }
    }

    private DateTimeOffset? ReadLocked()
    {
        try
        {
            var written = File.GetLastWriteTimeUtc(path);
            if (written != _readAt)
            {
                using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
                _notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
                _readAt = written;
            }

            return _notAfter;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return null;
        }
    }
}
