namespace Slipway.Server.Api.Contracts;

/// <summary>One certificate of <c>GET /api/v1/certs</c>: what the edge serves, and for ACME where renewal stands.</summary>
/// <param name="Name">The manifest's path for a file, <c>acme:HOST</c> for ACME.</param>
/// <param name="Hosts">The DNS names it carries; for an ACME host not issued yet, that host.</param>
/// <param name="Issuer">The issuer's common name; null while nothing is issued.</param>
/// <param name="NotAfter">Null while nothing is issued.</param>
/// <param name="DaysLeft">Whole days until <paramref name="NotAfter"/> (negative once past); null while nothing is issued.</param>
/// <param name="LastRenewal">ACME only: when the last order was tried; null for a file or before the first.</param>
/// <param name="LastResult">ACME only: what the last order came to, the CA's words on a failure.</param>
/// <param name="LastSucceeded">ACME only: null for a file or before the first order.</param>
/// <param name="NextAttempt">ACME only: when the next order is due.</param>
internal sealed record CertificateResponse(
    string Name,
    CertificateSource Source,
    IReadOnlyList<string> Hosts,
    string? Issuer,
    DateTimeOffset? NotAfter,
    int? DaysLeft,
    DateTimeOffset? LastRenewal,
    string? LastResult,
    bool? LastSucceeded,
    DateTimeOffset? NextAttempt);
