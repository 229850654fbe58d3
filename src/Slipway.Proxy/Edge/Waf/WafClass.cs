namespace Slipway.Proxy.Edge.Waf;

/// <summary>The four attack classes the WAF engine recognises.</summary>
internal enum WafClass
{
    SqlInjection,
    CrossSiteScripting,
    PathTraversal,
    CommandInjection,
}
