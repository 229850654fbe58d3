namespace Slipway.Proxy.FastPath;

/// <summary>What <see cref="RequestHeadParser"/> made of the bytes at the front of a connection.</summary>
internal enum HeadParse
{
    /// <summary>The head is not all there yet.</summary>
    Incomplete,

    /// <summary>A head the fast path forwards itself.</summary>
    Parsed,

    /// <summary>
    /// Anything else: malformed (the general path refuses it with its usual answer), or valid but outside the fast
    /// path (a body, an upgrade, <c>Expect</c>, HTTP/1.0, an absolute-form target, a repeated header...).
    /// </summary>
    General,
}
