using Slipway.Core.Primitives;

namespace Slipway.Core.Tests.Primitives;

public sealed class PlaceholdersTests
{
    private static readonly Dictionary<string, string> Values = new() { ["VERSION"] = "2", ["PORT"] = "5001", ["EMPTY"] = "" };

    [Theory]
    [InlineData("releases/api/${VERSION}/Api.dll", new[] { "VERSION" })]
    [InlineData("http://127.0.0.1:${PORT}", new[] { "PORT" })]
    [InlineData("${A}${B}${A}", new[] { "A", "B" })]
    [InlineData("${_x1}", new[] { "_x1" })]
    [InlineData("plain", new string[0])]
    [InlineData("", new string[0])]
    [InlineData("$HOME ${1X} ${} ${A-B} ${ A} ${A", new string[0])]
    [InlineData("$${VERSION}", new string[0])]
    [InlineData("$${VERSION} ${PORT}", new[] { "PORT" })]
    [InlineData("$", new string[0])]
    [InlineData("${", new string[0])]
    [InlineData("a}${B}", new[] { "B" })]
    public void Find_ReturnsNamesOnceInOrder(string text, string[] expected)
    {
        Assert.Equal(expected, Placeholders.Find(text));
    }

    [Theory]
    [InlineData("releases/api/${VERSION}/Api.dll", "releases/api/2/Api.dll")]
    [InlineData("--urls http://127.0.0.1:${PORT}", "--urls http://127.0.0.1:5001")]
    [InlineData("${VERSION}${PORT}${VERSION}", "25001" + "2")]
    [InlineData("x${EMPTY}y", "xy")]
    [InlineData("no placeholders", "no placeholders")]
    [InlineData("", "")]
    [InlineData("$HOME and $1 and ${1X} and ${A-B}", "$HOME and $1 and ${1X} and ${A-B}")]
    [InlineData("$${VERSION}", "${VERSION}")]
    [InlineData("$${VERSION}=${VERSION}", "${VERSION}=2")]
    [InlineData("$${UNKNOWN}", "${UNKNOWN}")]
    [InlineData("cost $$5 and $$", "cost $$5 and $$")]
    [InlineData("$$${VERSION}", "$${VERSION}")]
    [InlineData("$${1X}", "$${1X}")]
    [InlineData("trailing $", "trailing $")]
    [InlineData("${VERSION", "${VERSION")]
    public void Expand_ReplacesKnownNamesAndHonoursEscape(string text, string expected)
    {
        Assert.Equal(expected, Placeholders.Expand(text, Values));
    }

    [Fact]
    public void Expand_ValueContainingPlaceholder_IsNotExpandedAgain()
    {
        var values = new Dictionary<string, string> { ["A"] = "${B}", ["B"] = "b" };

        Assert.Equal("${B}", Placeholders.Expand("${A}", values));
    }

    [Fact]
    public void Expand_UnknownNames_ThrowsListingEachOnce()
    {
        var thrown = Assert.Throws<KeyNotFoundException>(() => Placeholders.Expand("${X} ${VERSION} ${Y} ${X}", Values));

        Assert.Equal("unknown placeholders ${X}, ${Y}", thrown.Message);
    }

    [Fact]
    public void Expand_OneUnknownName_SingularMessage()
    {
        var thrown = Assert.Throws<KeyNotFoundException>(() => Placeholders.Expand("${X}", Values));

        Assert.Equal("unknown placeholder ${X}", thrown.Message);
    }

    [Fact]
    public void TryExpand_AllKnown_ReturnsTrueAndNoUnknown()
    {
        Assert.True(Placeholders.TryExpand("${VERSION}:${PORT}", Values, out var result, out var unknown));

        Assert.Equal("2:5001", result);
        Assert.Empty(unknown);
    }

    [Fact]
    public void TryExpand_SomeUnknown_ExpandsTheRestAndKeepsUnknownAsWritten()
    {
        Assert.False(Placeholders.TryExpand("${VERSION} ${NOPE} $${PORT} ${NOPE} ${ALSO}", Values, out var result, out var unknown));

        Assert.Equal("2 ${NOPE} ${PORT} ${NOPE} ${ALSO}", result);
        Assert.Equal(["NOPE", "ALSO"], unknown);
    }

    [Fact]
    public void TryExpand_NamesAreCaseSensitive()
    {
        Assert.False(Placeholders.TryExpand("${version}", Values, out var result, out var unknown));

        Assert.Equal("${version}", result);
        Assert.Equal(["version"], unknown);
    }

    [Fact]
    public void Null_Arguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => Placeholders.Find(null!));
        Assert.Throws<ArgumentNullException>(() => Placeholders.Expand(null!, Values));
        Assert.Throws<ArgumentNullException>(() => Placeholders.Expand("x", null!));
    }
}
