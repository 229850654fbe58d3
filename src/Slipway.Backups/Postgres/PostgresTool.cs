using Slipway.Core.Processes;

namespace Slipway.Backups.Postgres;

/// <summary>
/// Runs a PostgreSQL client or server tool through the shared runner (<see cref="ProcessRunner.RunStreamingAsync"/>):
/// stdout and stdin are streams the caller pipes (a dump is never held in memory); stderr is captured, bounded, for
/// the backup's record. Cancelling, or a consumer that fails, kills the whole process tree.
/// </summary>
internal static class PostgresTool
{
    // Streamed tools have no timeout, so the runner reads no clock for them: the system one is never consulted.
    private static readonly ProcessRunner Runner = new(TimeProvider.System);

    public static bool IsRoot => Environment.UserName == "root";

    /// <param name="stdout">Reads the tool's stdout while it runs; null discards it.</param>
    /// <param name="stdin">Writes the tool's stdin, then the runner closes it; null gives an empty stdin.</param>
    /// <exception cref="BackupException">The tool could not be started.</exception>
    public static async Task<ToolResult> RunAsync(
        ToolInvocation invocation,
        Func<Stream, CancellationToken, Task>? stdout = null,
        Func<Stream, CancellationToken, Task>? stdin = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await Runner.RunStreamingAsync(invocation.ToSpec(Environment.CurrentDirectory), stdout, stdin, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessStartException e)
        {
            throw new BackupException($"{Path.GetFileName(invocation.Program)} could not be started ({e.Message})", e);
        }
    }
}
