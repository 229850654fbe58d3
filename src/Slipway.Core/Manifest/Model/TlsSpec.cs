using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// The edge's certificates and TLS policy. <see cref="Certificate"/> is the default (served when no other
/// certificate names the host the client asked for); <see cref="Certificates"/> and the ones <see cref="Acme"/>
/// obtains are chosen by SNI from the names they carry.
/// </summary>
internal sealed record TlsSpec : IValidatedSpec
{
    /// <summary>PEM certificate chain, relative to the manifest; empty with <see cref="Acme"/> alone.</summary>
    public string Certificate { get; init; } = "";

    /// <summary>PEM private key, relative to the manifest; empty when the certificate file holds the key too.</summary>
    public string Key { get; init; } = "";

    /// <summary>More certificates, each served to clients that ask (SNI) for a name it carries.</summary>
    public IReadOnlyList<CertificateFilesSpec> Certificates { get; init; } = [];

    /// <summary>Certificates obtained and renewed over ACME; null when every certificate is a file.</summary>
    public AcmeSpec? Acme { get; init; }

    /// <summary>Answer plain-HTTP requests with a redirect to HTTPS.</summary>
    public bool RedirectHttp { get; init; }

    /// <summary><c>1.2</c> or <c>1.3</c>.</summary>
    public string MinVersion { get; init; } = "1.2";

    /// <summary>The default certificate first (when there is one), then the others.</summary>
    /// <remarks>A list, not an iterator: the key-use test follows the model's own methods, not compiler-made classes.</remarks>
    public IReadOnlyList<(string Path, CertificateFilesSpec Files)> AllFiles() =>
        [.. Certificate.Length == 0 ? [] : new[] { ("", new CertificateFilesSpec { Certificate = Certificate, Key = Key }) }, .. Certificates.Select((c, i) => ($"certificates[{i}].", c))];

    public void Validate(SpecContext context)
    {
        if (Certificate.Length == 0 && Acme is null)
        {
            context.Error("needs `certificate` (a PEM file) or `acme` (certificates obtained from a CA such as Let's Encrypt)");
        }

        if (Certificate.Length == 0 && Certificates.Count > 0)
        {
            context.Error("certificates", "are chosen by SNI beside a default; name the default in `certificate`");
        }

        if (MinVersion is not ("1.2" or "1.3"))
        {
            context.Error("minVersion", $"must be \"1.2\" or \"1.3\" (got {ScalarParsers.Quote(MinVersion)}); older versions are not offered");
        }
    }
}
