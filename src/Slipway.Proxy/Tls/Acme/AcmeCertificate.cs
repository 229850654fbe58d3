namespace Slipway.Proxy.Tls.Acme;

/// <summary>An issued certificate: the PEM chain the CA sent (leaf first) and the PEM key it certifies.</summary>
internal sealed record AcmeCertificate(string ChainPem, string KeyPem);
