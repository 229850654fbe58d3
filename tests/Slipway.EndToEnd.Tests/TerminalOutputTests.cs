using System.Text.Json;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// A service's output and an exec probe's stderr that try to take over the operator's terminal: escaped in what
/// `up`, `events` and `logs` print for people, exact in their JSON.
/// </summary>
[Collection(PrivilegeCollection.Name)]
public sealed class TerminalOutputTests
{
    /// <summary><see cref="PrivilegeDaemon.Takeover"/> as people see it printed.</summary>
    private const string Escaped = @"\x1b]0;pwned\x07\x1b[2K\x0dall services healthy";

    private readonly PrivilegeDaemon _daemon;

    public TerminalOutputTests(PrivilegeDaemon daemon) => _daemon = daemon;

    [Fact]
    public void Up_ProbeStderrWithControlCharacters_PrintedEscaped()
    {
        var line = _daemon.Daemon.Output.Split('\n').First(l => l.Contains(" probe-failed ", StringComparison.Ordinal));

        Assert.Contains(Escaped, line, StringComparison.Ordinal);
        AssertNoControlCharacters(_daemon.Daemon.Output);
    }

    [Fact]
    public async Task Events_ProbeStderrWithControlCharacters_EscapedForPeopleExactInJson()
    {
        var (exit, table) = await _daemon.CliAsync("events", "--service", "env");
        Assert.True(exit == 0, table);
        Assert.Contains(Escaped, table, StringComparison.Ordinal);
        AssertNoControlCharacters(table);

        var (_, json) = await _daemon.CliAsync("events", "--service", "env", "--output", "json");
        using var events = JsonDocument.Parse(json);
        Assert.Contains(events.RootElement.EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains(PrivilegeDaemon.Takeover, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_LineWithControlCharactersAndABareCarriageReturn_FoundWhole_EscapedForPeopleExactInJson()
    {
        var (exit, table) = await _daemon.CliAsync("logs", "env", "--grep", "all services healthy");
        Assert.True(exit == 0, table);
        Assert.Contains(Escaped, table, StringComparison.Ordinal);
        AssertNoControlCharacters(table);

        var (_, json) = await _daemon.CliAsync("logs", "env", "--grep", "all services healthy", "--output", "json");
        using var lines = JsonDocument.Parse(json);
        Assert.Equal(PrivilegeDaemon.Takeover, Assert.Single(lines.RootElement.EnumerateArray()).GetProperty("message").GetString());
    }

    private static void AssertNoControlCharacters(string output)
    {
        var bad = output.Where(c => (char.IsControl(c) && c is not ('\n' or '\t'))).Select(c => $"U+{(int)c:X4}").Distinct().ToList();
        Assert.True(bad.Count == 0, $"raw control characters reached the terminal: {string.Join(", ", bad)}");
    }
}
