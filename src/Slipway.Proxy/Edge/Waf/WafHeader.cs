namespace Slipway.Proxy.Edge.Waf;

/// <summary>One request header as the engine sees it: a repeated header is one entry per value.</summary>
internal readonly record struct WafHeader(string Name, string Value);
