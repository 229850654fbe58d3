namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>Whether a comment follows a token, and whether it says anything (admin'-- vs. O'Brien#History).</summary>
internal enum SqlComment : byte
{
    None,
    Empty,
    Text,
}
