namespace Slipway.Server;

/// <summary>
/// What a daemon run holds, released in the reverse of the order it was taken: the proxy stops after the instances
/// that sent it traffic, the state lock goes last. A start that fails half-way releases only what it took.
/// </summary>
internal sealed class Teardown : IAsyncDisposable
{
    private readonly Stack<Func<ValueTask>> _steps = new();

    public T Add<T>(T resource)
        where T : IDisposable
    {
        _steps.Push(() =>
        {
            resource.Dispose();
            return ValueTask.CompletedTask;
        });
        return resource;
    }

    public T AddAsync<T>(T resource)
        where T : IAsyncDisposable
    {
        _steps.Push(resource.DisposeAsync);
        return resource;
    }

    /// <summary>A step that is not a disposal, such as stopping a listener before it is disposed.</summary>
    public void Add(Func<Task> step) => _steps.Push(() => new ValueTask(step()));

    public async ValueTask DisposeAsync()
    {
        while (_steps.TryPop(out var step))
        {
            await step().ConfigureAwait(false);
        }
    }
}
