namespace Slipway.Proxy.Tls.Acme;

/// <summary>What <c>proxy.tls.acme</c> asks for, and where its account key and certificates live.</summary>
internal sealed record AcmeOptions
{
    public required Uri Directory { get; init; }

    public string? Email { get; init; }

    /// <summary>One certificate each, so a host the CA cannot validate does not hold back the others.</summary>
    public required IReadOnlyList<string> Hosts { get; init; }

    public required string StateDirectory { get; init; }

    /// <summary>A PEM CA certificate trusted, alone, for the directory's HTTPS (a private CA); null: the system's roots.</summary>
    public string? TrustedCa { get; init; }

    /// <summary>
    /// One folder per CA (<c>acme/acme-v02.api.letsencrypt.org/</c>): a staging certificate never serves once the
    /// directory is production, and each CA keeps its account.
    /// </summary>
    public string Folder => Path.Combine(StateDirectory, "acme", Directory.Authority.Replace(':', '_'));

    public string AccountKeyFile => Path.Combine(Folder, "account.key");

    /// <summary>The chain and its key in one 0600 file, replaced in one rename, so a reload never sees a new chain with the old key.</summary>
    public string CertificateFile(string host) => Path.Combine(Folder, host.ToLowerInvariant() + ".pem");

    public static string Label(string host) => "acme:" + host.ToLowerInvariant();

    /// <summary>The store's sources: nothing to serve until issued.</summary>
    public IReadOnlyList<CertificateFiles> Files() =>
        [.. Hosts.Select(host => new CertificateFiles(CertificateFile(host), null) { Label = Label(host), IssuedLater = true })];
}
