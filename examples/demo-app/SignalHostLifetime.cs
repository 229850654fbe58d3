namespace Slipway.DemoApp;

/// <summary>
/// Replaces ConsoleLifetime so the host registers no signal handlers of its own;
/// <see cref="ShutdownSignals"/> decides when the host stops.
/// </summary>
internal sealed class SignalHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
