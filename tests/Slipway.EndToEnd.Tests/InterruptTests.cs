namespace Slipway.EndToEnd.Tests;

/// <summary>
/// Ctrl-C on a client verb that waits on the daemon: it stops, says it was interrupted and exits 130. Before, the
/// runtime ended the process at the signal with nothing said, and the verbs' own handling of Ctrl-C never ran.
/// </summary>
[Collection(PrivilegeCollection.Name)]
public sealed class InterruptTests
{
    private readonly PrivilegeDaemon _daemon;

    public InterruptTests(PrivilegeDaemon daemon) => _daemon = daemon;

    /// <remarks>
    /// `logs --follow` prints the lines the daemon has first, so the test knows the stream is open (and the verb's
    /// handling in place) before it signals; a signal before that would end the process as the runtime does (also
    /// 130 to a parent, but with nothing said). `events --follow` goes the same way (ClientVerb) and prints only new events.
    /// </remarks>
    [Fact]
    public async Task LogsFollow_CtrlC_SaysItWasInterruptedAndExits130()
    {
        using var follow = new SlipwayProcess(_daemon.Directory, "logs", "--follow", "--server", _daemon.Api, "--state-dir", _daemon.StateDir);
        await follow.UntilAsync(() => follow.Output.Contains("plain line", StringComparison.Ordinal), "logs --follow to print the lines the daemon has");

        follow.Signal(Native.SigInt);

        Assert.Equal(130, await follow.WaitForExitAsync(30));
        Assert.Equal("slipway: interrupted; anything the daemon had already accepted goes on (`slipway status` shows it)", follow.Error.Trim());
    }
}
