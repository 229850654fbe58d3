using System.CommandLine;
using System.Runtime.InteropServices;

namespace Slipway.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as cancellation, for a verb that has something to undo when it is stopped: `backup run`
/// aborts its S3 multipart upload and kills pg_dump, `backup wal` stops pg_receivewal (its own session: it would
/// outlive us), `verify` and `drill` stop their scratch cluster; every client verb (<see cref="Client.ClientVerb"/>) stops
/// its calls to the daemon and its following. System.CommandLine's own handling comes only with
/// InvokeAsync, and without a handler the runtime ends the process at once, with nothing undone. A second signal
/// ends it at once, for a cleanup that hangs.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private int _signals;

    private Interruption(CancellationToken token)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(token);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    public bool Interrupted => Volatile.Read(ref _signals) > 0;

    /// <summary><paramref name="action"/> with a token that a signal cancels; interrupted, the verb says so and exits 130 (128 + SIGINT).</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Cancels(CliOutput output, Func<ParseResult, CancellationToken, Task<int>> action) =>
        Cancels(output, "slipway: interrupted; what was under way was stopped and undone", action);

    /// <summary>As <see cref="Cancels(CliOutput, Func{ParseResult, CancellationToken, Task{int}})"/>, saying <paramref name="message"/> when interrupted.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Cancels(CliOutput output, string message, Func<ParseResult, CancellationToken, Task<int>> action) =>
        async (parsed, token) =>
        {
            using var interruption = new Interruption(token);
            try
            {
                return await action(parsed, interruption._source.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (interruption.Interrupted)
            {
                await output.Error.WriteLineAsync(message).ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }
        };

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _source.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        // The first signal cancels and keeps the process; the second takes the runtime's default (the process ends).
        context.Cancel = Interlocked.Increment(ref _signals) == 1;
        if (context.Cancel)
        {
            _source.Cancel();
        }
    }
}
