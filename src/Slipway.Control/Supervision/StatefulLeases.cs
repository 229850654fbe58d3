namespace Slipway.Control.Supervision;

/// <summary>
/// One lease per stateful service, held from before its process starts until that process's whole group has gone:
/// whatever a rollout, restart or a previous daemon's leftover asks, two processes never share a data directory or
/// a fixed port. A controller waiting for the lease starts once the holder's process is dead.
/// </summary>
internal sealed class StatefulLeases
{
    private readonly Dictionary<string, SemaphoreSlim> _leases = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Waits for the service's lease; dispose the result to give it back.</summary>
    /// <param name="waiting">Called once, before waiting, when another process holds the lease.</param>
    public async Task<IDisposable> AcquireAsync(string service, Action waiting, CancellationToken cancellationToken)
    {
        SemaphoreSlim lease;
        lock (_lock)
        {
            if (!_leases.TryGetValue(service, out lease!))
            {
                lease = new SemaphoreSlim(1, 1);
                _leases[service] = lease;
            }
        }

        if (!await lease.WaitAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false))
        {
            waiting();
            await lease.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Held(lease);
    }

    private sealed class Held(SemaphoreSlim lease) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lease.Release();
            }
        }
    }
}
