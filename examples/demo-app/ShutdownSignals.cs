using System.Runtime.InteropServices;

namespace Slipway.DemoApp;

/// <summary>
/// Owns SIGTERM and SIGINT for every mode. The generic host's ConsoleLifetime is
/// replaced (see <see cref="SignalHostLifetime"/>) because it would stop the app
/// on SIGTERM even when DEMO_IGNORE_SIGTERM asks us not to.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _ignoreSigterm;
    private readonly JsonLog _log;
    private readonly PosixSignalRegistration _sigterm;
    private readonly PosixSignalRegistration _sigint;

    public ShutdownSignals(bool ignoreSigterm, JsonLog log)
    {
        _ignoreSigterm = ignoreSigterm;
        _log = log;
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>Cancelled when the process should stop gracefully.</summary>
    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _sigterm.Dispose();
        _sigint.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Never let the runtime's default action (terminate) run: we stop on our own terms.
        context.Cancel = true;
        var name = context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT";
        if (context.Signal == PosixSignal.SIGTERM && _ignoreSigterm)
        {
            _log.Warn("ignoring signal", ("signal", name));
            return;
        }

        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _log.Info("stopping", ("signal", name));
        // Off the signal-handling thread: cancellation callbacks run inline.
        ThreadPool.QueueUserWorkItem(static stop => stop.Cancel(), _stop, preferLocal: false);
    }
}
