using Slipway.Core.Tls;

namespace Slipway.Proxy.Tls;

/// <summary>A certificate the HTTPS listeners serve, with the files it came from.</summary>
internal sealed record ServedCertificate(CertificateFiles Files, PemCertificate Certificate);
