namespace Slipway.Proxy.FastPath;

/// <summary>How a request body the fast path takes is framed on the client's connection.</summary>
internal enum BodyFraming
{
    None,

    /// <summary>One Content-Length greater than zero.</summary>
    Length,

    /// <summary><c>Transfer-Encoding: chunked</c> and nothing else.</summary>
    Chunked,
}
