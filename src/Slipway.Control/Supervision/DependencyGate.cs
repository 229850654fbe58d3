using Slipway.Control.Runtime;

namespace Slipway.Control.Supervision;

/// <summary>
/// <c>dependsOn</c> at start: an instance starts only once every service it depends on has a ready instance (an
/// upstream: a ready endpoint). The supervisor calls <see cref="Changed"/> on every readiness change; waiters look again.
/// </summary>
/// <remarks>Only starts wait: a running instance is not stopped when a dependency becomes unready.</remarks>
internal sealed class DependencyGate
{
    private readonly LiveManifest _manifest;
    private readonly Func<string, bool> _isReady;
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="isReady">Whether a service has a ready instance or endpoint now.</param>
    public DependencyGate(LiveManifest manifest, Func<string, bool> isReady)
    {
        _manifest = manifest;
        _isReady = isReady;
    }

    public void Changed()
    {
        TaskCompletionSource woken;
        lock (_lock)
        {
            woken = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.TrySetResult();
    }

    /// <summary>The dependencies of <paramref name="service"/> with nothing ready now (ones the manifest no longer has are ignored).</summary>
    public IReadOnlyList<string> NotReady(string service)
    {
        var services = _manifest.Services;
        return services.TryGetValue(service, out var spec)
            ? [.. spec.DependsOn.Where(d => services.ContainsKey(d) && !_isReady(d))]
            : [];
    }

    /// <summary>Returns once every dependency is ready.</summary>
    /// <param name="waiting">Called once with the dependencies not ready, when there are any.</param>
    public async Task WaitAsync(string service, Action<IReadOnlyList<string>> waiting, CancellationToken cancellationToken)
    {
        var told = false;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            var missing = NotReady(service);
            if (missing.Count == 0)
            {
                return;
            }

            if (!told)
            {
                told = true;
                waiting(missing);
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
