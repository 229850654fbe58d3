namespace Slipway.Proxy.Edge.Waf;

/// <summary>Where in a request a value was found.</summary>
internal enum WafTargetKind
{
    /// <summary>The request path (no name).</summary>
    Path,

    /// <summary>A query-string argument, named by its decoded name (the name itself is inspected too).</summary>
    Query,

    /// <summary>A request header, named by its header name (compared ignoring case).</summary>
    Header,

    /// <summary>One cookie of the Cookie header, named by its cookie name.</summary>
    Cookie,

    /// <summary>
    /// A body field: a form or multipart field by name, a JSON string by its dotted property path
    /// (<c>user.address.line1</c>; array positions add nothing). A plain-text body has no name.
    /// </summary>
    Body,
}
