using Slipway.Proxy.Edge.Waf.Detection;

namespace Slipway.Proxy.Tests.Edge.Waf.Detection;

public sealed class SqlLexerTests
{
    [Fact]
    public void Lex_QuoteContext_ClosesAtTheValuesOwnQuote()
    {
        var tokens = Lex("o'brien", '\'');

        Assert.Equal(SqlTokenKind.String, tokens[0].Kind);
        Assert.True(tokens[0].Closed);
        Assert.Equal((SqlTokenKind.Word, "brien"), (tokens[1].Kind, Text("o'brien", tokens[1])));
    }

    [Fact]
    public void Lex_DoubledAndEscapedQuotes_StayInsideTheString()
    {
        var tokens = Lex("'it''s' 'don\\'t'", '\0');

        Assert.Equal(2, tokens.Length);
        Assert.All(tokens, t => Assert.True(t.Closed));
    }

    [Fact]
    public void Lex_ClosedBlockComment_IsWhitespace()
    {
        var tokens = Lex("union/**/select", '\0');

        Assert.Equal([SqlWord.Union, SqlWord.Select], tokens.Select(t => t.Word));
        Assert.All(tokens, t => Assert.Equal(SqlComment.None, t.CommentAfter));
    }

    [Fact]
    public void Lex_ExecutableComment_IsReadAsTheCodeInside()
    {
        var tokens = Lex("/*!50000union*/ /*!select*/ 1", '\0');

        Assert.Equal([SqlWord.Union, SqlWord.Select, SqlWord.None], tokens.Select(t => t.Word));
    }

    [Theory]
    [InlineData("x'--", "Empty")]
    [InlineData("x'-- -", "Empty")]
    [InlineData("x'#", "Empty")]
    [InlineData("x'/*", "Empty")]
    [InlineData("x'#history", "Text")]
    public void Lex_LineCommentAfterToken_IsRecordedOnIt(string text, string expected) =>
        Assert.Equal(expected, Lex(text, '\'')[0].CommentAfter.ToString());

    [Fact]
    public void Lex_QualifiedNamesAndCalls_AreOneWordMarkedAsCall()
    {
        const string text = "master..xp_cmdshell information_schema.tables sleep (5)";
        var tokens = Lex(text, '\0');

        Assert.Equal(["master..xp_cmdshell", "information_schema.tables", "sleep", "(", "5", ")"], tokens.Select(t => Text(text, t)));
        Assert.True(tokens[2].IsCall);
        Assert.False(tokens[1].IsCall);
    }

    [Theory]
    [InlineData("0x7e", "Number")]
    [InlineData("1e10", "Number")]
    [InlineData("3.14", "Number")]
    [InlineData("2x4", "Word")]
    [InlineData("@@version", "Variable")]
    [InlineData("`users`", "Word")]
    public void Lex_Literal_HasItsKind(string text, string expected) =>
        Assert.Equal(expected, Assert.Single(Lex(text, '\0')).Kind.ToString());

    [Theory]
    [InlineData("<=>", "Comparison")]
    [InlineData("!=", "Comparison")]
    [InlineData("||", "Logic")]
    [InlineData("&&", "Logic")]
    [InlineData("!", "Not")]
    [InlineData("::", "Other")]
    public void Lex_Operator_HasItsKind(string text, string expected) =>
        Assert.Equal(expected, Assert.Single(Lex(text, '\0')).Operator.ToString());

    private static SqlToken[] Lex(string text, char quote)
    {
        var tokens = new SqlToken[text.Length + 1];
        return tokens[..SqlLexer.Lex(text, quote, tokens)];
    }

    private static string Text(string text, SqlToken token) => text.Substring(token.Start, token.Length);
}
