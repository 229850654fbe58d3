using Slipway.Testing;

namespace Slipway.Cli.Tests;

/// <summary>Client verbs when no daemon answers: one line saying where they looked and how to start one.</summary>
public sealed class ClientVerbTests
{
    [Theory]
    [InlineData("status")]
    [InlineData("audit", "verify")]
    [InlineData("scale", "api", "2")]
    [InlineData("deploy", "api", "--version", "2", "--wait")]
    [InlineData("promote", "api")]
    [InlineData("rollback", "api", "--to", "1")]
    [InlineData("history", "api")]
    public void ClientVerb_NoDaemon_OneLineNamingServerExit1(params string[] verb)
    {
        var server = $"http://127.0.0.1:{FreePort.Next()}";
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = SlipwayCommand.Run([.. verb, "--server", server, "--token", "slw_x"], stdout, stderr);
        Assert.Equal(1, exit);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(server, lines[0], StringComparison.Ordinal);
        Assert.Contains("slipway up", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void SecretsSet_ValueAsArgument_IsRejected()
    {
        var stderr = new StringWriter();
        var exit = SlipwayCommand.Run(["secrets", "set", "DB_PASSWORD", "hunter2"], new StringWriter(), stderr, new StringReader(""));
        Assert.Equal(2, exit);
    }
}
