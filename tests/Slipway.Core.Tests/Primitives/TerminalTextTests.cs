using Slipway.Core.Primitives;

namespace Slipway.Core.Tests.Primitives;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("plain text, ünïcödé and 日本語", "plain text, ünïcödé and 日本語")]
    [InlineData("a\tb", "a\tb")]
    [InlineData("\u001b]0;pwned\u0007", "\\x1b]0;pwned\\x07")]
    [InlineData("50%\r100%", "50%\\x0d100%")]
    [InlineData("one\ntwo", "one\\x0atwo")]
    [InlineData("nul\0del\u007f", "nul\\x00del\\x7f")]
    [InlineData("\u009b31m c1 csi", "\\x9b31m c1 csi")]
    public void Escape_ControlCharactersButTab_BecomeVisibleHex(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Escape(text));
}
