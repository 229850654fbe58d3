using Slipway.Testing;

namespace Slipway.Cli.Tests;

/// <summary>Client verbs when no daemon answers: one line saying where they looked and how to start one.</summary>
public sealed class ClientVerbTests
{
    [Theory]
    [InlineData("status")]
    [InlineData("audit", "verify")]
    [InlineData("scale", "api", "2")]
    [InlineData("logs", "--service", "api")]
    [InlineData("logs", "--follow")]
    [InlineData("events", "--follow")]
    [InlineData("deploy", "api", "--version", "2", "--wait")]
    [InlineData("deploy", "api", "--version", "2")]
    [InlineData("deploy", "api", "--version", "2", "--detach")]
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
        Assert.Contains($"daemon not reachable at {server} (from --server", lines[0], StringComparison.Ordinal);
        Assert.Contains("slipway up", lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("logs")]
    [InlineData("events")]
    [InlineData("token", "list")]
    [InlineData("version")]
    [InlineData("validate", "slipway.yaml")]
    [InlineData("backup", "list")]
    public void Output_NeitherTableNorJson_UsageErrorExit2(params string[] verb)
    {
        var stderr = new StringWriter();
        var exit = SlipwayCommand.Run([.. verb, "--output", "yaml"], new StringWriter(), stderr);
        Assert.Equal(2, exit);
        Assert.Contains("yaml", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_WaitAndDetach_UsageErrorExit2()
    {
        var stderr = new StringWriter();
        var exit = SlipwayCommand.Run(["deploy", "api", "--version", "2", "--wait", "--detach"], new StringWriter(), stderr);
        Assert.Equal(2, exit);
        Assert.Contains("--detach", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Version_OutputJson_VersionField()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, SlipwayCommand.Run(["version", "--output", "json"], stdout, new StringWriter()));
        using var json = System.Text.Json.JsonDocument.Parse(stdout.ToString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("version").GetString()));
    }

    [Fact]
    public void SecretsSet_ValueAsArgument_IsRejected()
    {
        var stderr = new StringWriter();
        var exit = SlipwayCommand.Run(["secrets", "set", "DB_PASSWORD", "hunter2"], new StringWriter(), stderr, new StringReader(""));
        Assert.Equal(2, exit);
    }
}
