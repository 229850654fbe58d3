using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Slipway.Core.Tls;

/// <summary>
/// A server certificate read from PEM files: the leaf with its private key, the intermediates sent with it, and the
/// host names it may answer for. <see cref="Load"/> is the one place a certificate is judged fit to serve, for
/// <c>validate</c>, <c>up</c> and every reload alike.
/// </summary>
internal sealed class PemCertificate
{
    private PemCertificate(X509Certificate2 leaf, X509Certificate2Collection intermediates, IReadOnlyList<string> names, string path)
    {
        Leaf = leaf;
        Intermediates = intermediates;
        Names = names;
        Path = path;
    }

    /// <summary>The server's certificate, with its private key.</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The rest of the chain in the certificate file, sent after the leaf.</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <summary>Lower-case DNS names from the subject alternative names (the common name when there are none); <c>*.example.com</c> for a wildcard.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The certificate file, as given.</summary>
    public string Path { get; }

    public DateTimeOffset NotBefore => new(Leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);

    public DateTimeOffset NotAfter => new(Leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>
    /// Reads <paramref name="certificatePath"/> (and the key from <paramref name="keyPath"/>, or from the certificate file
    /// when null) and checks it can serve at <paramref name="now"/>; a <see cref="CertificateFileException"/> says why not.
    /// </summary>
    public static PemCertificate Load(string certificatePath, string? keyPath, DateTimeOffset now)
    {
        var certificateText = Read(certificatePath, aboutKey: false);
        var keyFile = keyPath ?? certificatePath;
        var keyText = keyPath is null ? certificateText : Read(keyPath, aboutKey: true);
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certificateText);
        }
        catch (CryptographicException e)
        {
            throw new CertificateFileException($"{certificatePath} is not a PEM certificate chain: {e.Message}");
        }

        if (chain.Count == 0)
        {
            throw new CertificateFileException($"{certificatePath} holds no certificate (a PEM block starting -----BEGIN CERTIFICATE-----)");
        }

        if (keyText.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            throw new CertificateFileException(
                $"{keyFile} holds an encrypted private key, and Slipway reads unencrypted keys only: write it out decrypted with "
                + $"`openssl pkey -in {keyFile} -out server.key`, give that file mode 0600 and name it in `key`", aboutKey: true);
        }

        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new CertificateFileException(
                keyPath is null
                    ? $"{certificatePath} holds no private key; name the key file in `key`"
                    : $"{keyFile} holds no private key (a PEM block starting -----BEGIN PRIVATE KEY-----)", aboutKey: true);
        }

        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(certificateText, keyText);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // A key of the wrong pair is an ArgumentException (CopyWithPrivateKey), a malformed one a CryptographicException.
            throw new CertificateFileException($"the private key in {keyFile} does not belong to the certificate in {certificatePath} (or is not a PEM RSA or EC key)", aboutKey: true);
        }

        var certificate = new PemCertificate(leaf, [.. chain.Skip(1)], NamesOf(leaf), certificatePath);
        if (now < certificate.NotBefore)
        {
            throw new CertificateFileException($"{certificatePath} is not valid before {Format(certificate.NotBefore)}; check the clock, or use a certificate valid now");
        }

        if (now >= certificate.NotAfter)
        {
            throw new CertificateFileException($"{certificatePath} expired on {Format(certificate.NotAfter)}; renew it");
        }

        if (certificate.Names.Count == 0)
        {
            throw new CertificateFileException($"{certificatePath} names no host (no DNS subject alternative name or common name)");
        }

        return certificate;
    }

    private static string Read(string path, bool aboutKey)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CertificateFileException($"{path} does not exist", aboutKey);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertificateFileException($"{path} cannot be read: {e.Message}", aboutKey);
        }
    }

    private static List<string> NamesOf(X509Certificate2 leaf)
    {
        var names = new List<string>();
        foreach (var extension in leaf.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension alternative)
            {
                names.AddRange(alternative.EnumerateDnsNames());
            }
        }

        if (names.Count == 0 && leaf.GetNameInfo(X509NameType.DnsName, forIssuer: false) is { Length: > 0 } common)
        {
            names.Add(common);
        }

        return [.. names.Select(n => n.TrimEnd('.').ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
    }

    private static string Format(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
