namespace Slipway.Proxy.Tls.Acme;

/// <summary>Where one host's certificate stands with the CA, for <c>slipway certs</c>.</summary>
/// <param name="LastResult">What the last attempt came to (the CA's words on a failure); null before the first.</param>
/// <param name="LastSucceeded">Null before the first attempt.</param>
internal sealed record AcmeHostStatus(string Host, DateTimeOffset? LastAttempt, string? LastResult, bool? LastSucceeded, DateTimeOffset NextAttempt);
