namespace Slipway.Server.Api.Contracts;

/// <summary>Where a served certificate comes from: a PEM file the manifest names, or an ACME CA.</summary>
internal enum CertificateSource
{
    File,
    Acme,
}
