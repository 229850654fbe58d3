namespace Slipway.Proxy.Edge;

/// <summary>Where a WAF step reports a match: in detect mode the request goes on, and its sample still counts the match.</summary>
internal interface IWafFindings
{
    /// <param name="wafClass">The class name (<c>sqli</c>, <c>xss</c>...).</param>
    /// <param name="blocked">Refused (block mode) rather than forwarded (detect mode).</param>
    void WafMatched(string wafClass, bool blocked);
}
