namespace Slipway.Core.Tls;

/// <summary>A certificate or key file that cannot serve; the message names the file and what to do.</summary>
internal sealed class CertificateFileException(string message, bool aboutKey = false) : Exception(message)
{
    /// <summary>The key file is at fault, not the certificate file.</summary>
    public bool AboutKey { get; } = aboutKey;
}
