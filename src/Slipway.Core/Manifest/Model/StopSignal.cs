namespace Slipway.Core.Manifest.Model;

/// <summary>
/// The signal that asks an instance to stop (SIGKILL follows after the grace period). Written <c>sigterm</c>,
/// <c>sigint</c>, …; PostgreSQL's fast shutdown is <c>sigint</c> (its SIGTERM waits for every client to leave).
/// </summary>
internal enum StopSignal
{
    Sigterm,
    Sigint,
    Sigquit,
    Sighup,
    Sigusr1,
    Sigusr2,
}
