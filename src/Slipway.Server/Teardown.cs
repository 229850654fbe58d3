namespace Slipway.Server;

/// <summary>
/// What a daemon run holds, released in the reverse of the order it was taken: the proxy stops after the instances
/// that sent it traffic, the state lock goes last. A start that fails half-way releases only what it took. A hand-over
/// takes the listeners and the proxy out (<see cref="Remove"/>): they go on serving while the rest is released.
/// </summary>
internal sealed class Teardown : IAsyncDisposable
{
    private readonly List<(object Owner, Func<ValueTask> Step)> _steps = [];

    public T Add<T>(T resource)
        where T : IDisposable
    {
        Push(resource, () =>
        {
            resource.Dispose();
            return ValueTask.CompletedTask;
        });
        return resource;
    }

    public T AddAsync<T>(T resource)
        where T : IAsyncDisposable
    {
        Push(resource, resource.DisposeAsync);
        return resource;
    }

    /// <summary>A step that is not a disposal, such as stopping a listener before it is disposed.</summary>
    /// <param name="owner">What the step releases, for <see cref="Remove"/>.</param>
    public void Add(Func<Task> step, object? owner = null) => Push(owner ?? step, () => new ValueTask(step()));

    /// <summary>Takes <paramref name="owner"/>'s steps out: whoever removes them releases it now.</summary>
    public void Remove(object owner)
    {
        lock (_steps)
        {
            _steps.RemoveAll(s => ReferenceEquals(s.Owner, owner));
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (Pop() is { } step)
        {
            await step().ConfigureAwait(false);
        }
    }

    private void Push(object owner, Func<ValueTask> step)
    {
        lock (_steps)
        {
            _steps.Add((owner, step));
        }
    }

    private Func<ValueTask>? Pop()
    {
        lock (_steps)
        {
            if (_steps.Count == 0)
            {
                return null;
            }

            var last = _steps[^1].Step;
            _steps.RemoveAt(_steps.Count - 1);
            return last;
        }
    }
}
