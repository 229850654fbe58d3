using System.ComponentModel.DataAnnotations;

namespace Slipway.Core.Manifest.Model;

internal sealed record TlsSpec
{
    /// <summary>PEM certificate chain, relative to the manifest.</summary>
    [Required]
    public string Certificate { get; init; } = "";

    /// <summary>PEM private key, relative to the manifest: refused until HTTPS listeners exist.</summary>
    public string Key { get; init; } = "";

    /// <summary>Answer plain-HTTP requests with a redirect to HTTPS.</summary>
    public bool RedirectHttp { get; init; }

    /// <summary><c>1.2</c> or <c>1.3</c>.</summary>
    public string MinVersion { get; init; } = "1.2";
}
