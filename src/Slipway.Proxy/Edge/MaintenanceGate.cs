namespace Slipway.Proxy.Edge;

/// <summary>
/// Whether a service is in maintenance right now, outliving routing tables: requests held by its maintenance
/// step wait here and go on the moment it is lifted. At most <see cref="MaxHeld"/> wait at once; later ones are
/// answered at once.
/// </summary>
internal sealed class MaintenanceGate
{
    public const int MaxHeld = 10_000;

    private TaskCompletionSource? _lifted;
    private int _held;

    /// <summary>Requests waiting now.</summary>
    public int Held => Volatile.Read(ref _held);

    public bool Active => Volatile.Read(ref _lifted) is not null;

    public void Enter()
    {
        if (Volatile.Read(ref _lifted) is null)
        {
            Interlocked.CompareExchange(ref _lifted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
        }
    }

    /// <summary>Ends maintenance: every held request goes on.</summary>
    public void Lift() => Interlocked.Exchange(ref _lifted, null)?.TrySetResult();

    /// <summary>Waits for the lift, at most <paramref name="hold"/>; true when maintenance ended meanwhile.</summary>
    public async ValueTask<bool> WaitAsync(TimeSpan hold, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lifted) is not { } lifted)
        {
            return true;
        }

        if (Interlocked.Increment(ref _held) > MaxHeld)
        {
            Interlocked.Decrement(ref _held);
            return false;
        }

        try
        {
            await lifted.Task.WaitAsync(hold, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
    }
}
