using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Slipway.Cli.Client;

/// <summary>
/// How the CLI trusts an <c>https://</c> daemon: the system's roots by default, a CA (or the daemon's self-signed
/// certificate) from <c>--ca-file</c>, or the daemon's certificate pinned by its SHA-256 <c>--fingerprint</c>.
/// </summary>
internal sealed record ServerTrust(string? CaFile, string? Fingerprint)
{
    public static readonly ServerTrust System = new(null, null);

    public SocketsHttpHandler Handler()
    {
        var handler = new SocketsHttpHandler();
        if (CaFile is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.ImportFromPemFile(CaFile);
            handler.SslOptions.CertificateChainPolicy = policy;
        }
        else if (Fingerprint is not null)
        {
            // Pinning names one certificate exactly, so the chain and the name are not consulted.
            var pinned = Convert.FromHexString(Fingerprint.Replace(":", "", StringComparison.Ordinal));
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), pinned);
        }

        return handler;
    }

    /// <summary>Null when <paramref name="file"/> holds a PEM certificate; else what is wrong.</summary>
    public static string? CheckCaFile(string file)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(file);
            return certificates.Count > 0 ? null : $"--ca-file {file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return $"--ca-file {file} cannot be read as a PEM certificate: {e.Message}";
        }
    }

    /// <summary>Null when <paramref name="fingerprint"/> is a SHA-256 in hex (colons allowed); else what is wrong.</summary>
    public static string? CheckFingerprint(string fingerprint) =>
        fingerprint.Replace(":", "", StringComparison.Ordinal) is { Length: 64 } hex && hex.All(Uri.IsHexDigit)
            ? null
            : $"--fingerprint must be the certificate's SHA-256 in hex, as `openssl x509 -noout -fingerprint -sha256 -in FILE` prints it (got \"{fingerprint}\")";
}
