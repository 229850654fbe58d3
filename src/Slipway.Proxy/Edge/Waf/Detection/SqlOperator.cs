namespace Slipway.Proxy.Edge.Waf.Detection;

internal enum SqlOperator : byte
{
    None,
    Comparison,
    Logic,
    Arithmetic,
    Not,
    Other,
}
