namespace Slipway.Proxy.Edge.Waf;

/// <summary>
/// The bounds on the engine's work for one request. Everything else is linear in the bytes
/// inspected: the path and query (Kestrel caps the request line), the inspected headers (Kestrel
/// caps the header section) and at most <see cref="BodyBytes"/> of the body.
/// </summary>
internal static class WafLimits
{
    /// <summary>Body bytes inspected; the rest of the body is forwarded uninspected.</summary>
    public const int BodyBytes = 16 * 1024;

    /// <summary>
    /// Percent-decoding passes per value (the transport decode counts as one). Four undo
    /// quadruple encoding; a value still encoded after them is inspected as it then reads.
    /// </summary>
    public const int DecodeRounds = 4;

    /// <summary>How far a tag's attributes are read after its <c>&lt;</c>, in characters.</summary>
    public const int TagChars = 1024;

    /// <summary>JSON nesting read before the body is inspected as plain text instead.</summary>
    public const int JsonDepth = 64;

    /// <summary>Characters of a target name or excerpt that reach a <see cref="WafMatch"/>.</summary>
    public const int ReportChars = 64;
}
