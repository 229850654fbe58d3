using Slipway.Proxy.Edge.Waf.Normalization;

namespace Slipway.Proxy.Tests.Edge.Waf.Normalization;

public sealed class TextFolderTests
{
    [Theory]
    [InlineData("&lt;b&gt;", "<b>")]
    [InlineData("&#60;&#x3C;&#X3c", "<<<")]
    [InlineData("&#0000106;&#0000097", "ja")]
    [InlineData("java&Tab;script&colon;", "java script:")]
    [InlineData("&lpar;1&rpar;&sol;&bsol;", "(1)/\\")]
    [InlineData("&quot;&apos;&grave;", "\"'`")]
    [InlineData("&hearts; &mdash;", "&hearts; &mdash;")]
    [InlineData("&lt", "&lt")]
    [InlineData("&#0;&#xD800;&#x110000;", "\uFFFD\uFFFD\uFFFD")]
    [InlineData("&#128512;", "😀")]
    public void Fold_HtmlReferences_DecodeAsABrowserDoes(string input, string expected) =>
        Assert.Equal(expected, Fold(input));

    [Theory]
    [InlineData("\\u003cscript\\u003e", "<script>")]
    [InlineData("\\x3c\\x3C", "<<")]
    [InlineData("\\u{3c}\\u{1F600}", "<😀")]
    [InlineData("c:\\users\\xavier", "c:\\users\\xavier")]
    [InlineData("\\u12", "\\u12")]
    public void Fold_ScriptEscapes_DecodeOnlyWhenWellFormed(string input, string expected) =>
        Assert.Equal(expected, Fold(input));

    [Theory]
    [InlineData("＜ＳＣＲＩＰＴ＞", "<script>")]
    [InlineData("..∕..⁄..＼..∖", "../../..\\..\\")]
    public void Fold_LookalikeForms_MapToAscii(string input, string expected) =>
        Assert.Equal(expected, Fold(input));

    [Fact]
    public void Fold_NulBytes_AreRemoved() => Assert.Equal("../etc", Fold(".\0./etc"));

    [Fact]
    public void Fold_AsciiLetters_AreLowerCasedAndOthersKept() => Assert.Equal("select École", Fold("SeLeCt ÉCOLE"));

    [Theory]
    [InlineData("a \t\v\f\u00A0\u2003\u3000b", "a b")]
    [InlineData("a \r\n\t b", "a\nb")]
    [InlineData("a\u2028b", "a\nb")]
    [InlineData("  x  ", " x ")]
    public void Fold_Whitespace_CollapsesKeepingLineBreaks(string input, string expected) =>
        Assert.Equal(expected, Fold(input));

    private static string Fold(string input)
    {
        var output = new char[input.Length];
        return new string(output, 0, TextFolder.Fold(input, output));
    }
}
