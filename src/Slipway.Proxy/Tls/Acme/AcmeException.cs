namespace Slipway.Proxy.Tls.Acme;

/// <summary>
/// An ACME exchange that did not end in a certificate: the CA's problem (RFC 8555 §6.7, its type and detail as the
/// CA wrote them) or a CA that could not be reached or answered something that is not ACME.
/// </summary>
internal sealed class AcmeException : Exception
{
    public AcmeException(string message, string? problemType = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        ProblemType = problemType;
        RetryAfter = retryAfter;
    }

    /// <summary>The problem's type, e.g. <c>urn:ietf:params:acme:error:rateLimited</c>; null when the CA sent none.</summary>
    public string? ProblemType { get; }

    /// <summary>How long the CA asked to be left alone (Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    public bool IsRateLimited => ProblemType == "urn:ietf:params:acme:error:rateLimited";
}
