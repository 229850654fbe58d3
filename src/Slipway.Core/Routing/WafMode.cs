namespace Slipway.Core.Routing;

/// <summary>What a route's WAF does with a request a rule matches.</summary>
internal enum WafMode
{
    /// <summary>Log and count the match, and forward the request.</summary>
    Detect,

    /// <summary>Log and count the match, and answer 403 without forwarding.</summary>
    Block,
}
