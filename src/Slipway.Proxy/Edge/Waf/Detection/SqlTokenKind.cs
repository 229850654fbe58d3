namespace Slipway.Proxy.Edge.Waf.Detection;

internal enum SqlTokenKind : byte
{
    String,
    Number,
    Word,
    Variable,
    Operator,
    LeftParen,
    RightParen,
    Comma,
    Semicolon,
    Other,
}
