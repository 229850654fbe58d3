using System.ComponentModel.DataAnnotations;

namespace Slipway.Core.Manifest.Model;

/// <summary>A certificate chain and its private key, as PEM files relative to the manifest.</summary>
internal sealed record CertificateFilesSpec
{
    /// <summary>PEM certificate chain, the server's certificate first.</summary>
    [Required]
    public string Certificate { get; init; } = "";

    /// <summary>PEM private key; empty when the certificate file holds the key too.</summary>
    public string Key { get; init; } = "";
}
