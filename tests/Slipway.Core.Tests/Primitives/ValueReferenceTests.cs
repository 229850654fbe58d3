using Slipway.Core.Primitives;

namespace Slipway.Core.Tests.Primitives;

public sealed class ValueReferenceTests
{
    private static readonly Dictionary<string, string> Env = new() { ["SLACK_WEBHOOK"] = "https://hooks.example/x", ["EMPTY"] = "" };
    private static readonly Dictionary<string, string> Secrets = new() { ["DB_PASSWORD"] = "hunter2" };

    [Theory]
    [InlineData("env:SLACK_WEBHOOK", "Env", "SLACK_WEBHOOK")]
    [InlineData("env:_x1", "Env", "_x1")]
    [InlineData("env:a", "Env", "a")]
    [InlineData("secret:DB_PASSWORD", "Secret", "DB_PASSWORD")]
    [InlineData("secret:db_password_2", "Secret", "db_password_2")]
    public void Parse_Reference_HasKindAndName(string text, string kind, string name)
    {
        var value = ValueReference.Parse(text);

        Assert.Equal(Enum.Parse<ValueReferenceKind>(kind), value.Kind);
        Assert.Equal(name, value.Name);
        Assert.Null(value.Literal);
        Assert.Equal(text, value.ToString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:9093")]
    [InlineData("postgres://u:p@localhost/db")]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("ENV:X")]
    [InlineData("Secret:X")]
    [InlineData(" env:X")]
    [InlineData("environment:X")]
    [InlineData("envX")]
    public void Parse_AnythingElse_IsLiteral(string text)
    {
        var value = ValueReference.Parse(text);

        Assert.Equal(ValueReferenceKind.Literal, value.Kind);
        Assert.Equal(text, value.Literal);
        Assert.Null(value.Name);
        Assert.Equal(text, value.ToString());
    }

    [Theory]
    [InlineData("env:", "an environment variable", "env:")]
    [InlineData("env: X", "an environment variable", "env:")]
    [InlineData("env:1X", "an environment variable", "env:")]
    [InlineData("env:MY-VAR", "an environment variable", "env:")]
    [InlineData("env:X ", "an environment variable", "env:")]
    [InlineData("env:A.B", "an environment variable", "env:")]
    [InlineData("env:env:X", "an environment variable", "env:")]
    [InlineData("secret:", "a secret", "secret:")]
    [InlineData("secret:db password", "a secret", "secret:")]
    [InlineData("secret:$X", "a secret", "secret:")]
    public void TryParse_BadName_FailsNamingTheKind(string text, string what, string prefix)
    {
        Assert.False(ValueReference.TryParse(text, out _, out var error));
        Assert.Equal($"must name {what} after \"{prefix}\", like {prefix}NAME with letters, digits and _ (got \"{text}\")", error);
    }

    [Fact]
    public void Parse_BadName_ThrowsFormatExceptionWithSameMessage()
    {
        ValueReference.TryParse("env:", out _, out var error);

        var thrown = Assert.Throws<FormatException>(() => ValueReference.Parse("env:"));

        Assert.Equal(error, thrown.Message);
    }

    [Fact]
    public void TryParse_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ValueReference.TryParse(null!, out _, out _));
    }

    [Theory]
    [InlineData("env:SLACK_WEBHOOK", "https://hooks.example/x")]
    [InlineData("env:EMPTY", "")]
    [InlineData("env:UNSET", null)]
    [InlineData("secret:DB_PASSWORD", "hunter2")]
    [InlineData("secret:MISSING", null)]
    [InlineData("literal value", "literal value")]
    public void Resolve_LooksUpTheRightSource(string text, string? expected)
    {
        var value = ValueReference.Parse(text);

        Assert.Equal(expected, value.Resolve(Env.GetValueOrDefault, Secrets.GetValueOrDefault));
    }

    [Fact]
    public void Resolve_Env_DoesNotAskSecrets()
    {
        var value = ValueReference.Parse("env:DB_PASSWORD");

        Assert.Null(value.Resolve(Env.GetValueOrDefault, _ => throw new InvalidOperationException("secrets asked")));
    }

    [Fact]
    public void Resolve_Literal_AsksNeither()
    {
        var value = ValueReference.Parse("x");

        Assert.Equal("x", value.Resolve(_ => throw new InvalidOperationException(), _ => throw new InvalidOperationException()));
    }

    [Fact]
    public void Equality_SameText_AreEqual()
    {
        Assert.Equal(ValueReference.Parse("env:X"), ValueReference.Parse("env:X"));
        Assert.Equal(ValueReference.Parse("lit"), ValueReference.Parse("lit"));
        Assert.NotEqual(ValueReference.Parse("env:X"), ValueReference.Parse("secret:X"));
        Assert.NotEqual(ValueReference.Parse("env:X"), ValueReference.Parse("X"));
    }
}
