namespace Slipway.Testing;

/// <summary>A timer of a <see cref="ManualTimeProvider"/>: holds the callback; the provider holds the schedule.</summary>
internal sealed class ManualTimer : ITimer
{
    private readonly ManualTimeProvider _provider;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private volatile bool _disposed;

    public ManualTimer(ManualTimeProvider provider, TimerCallback callback, object? state)
    {
        _provider = provider;
        _callback = callback;
        _state = state;
    }

    // Written only under the provider's lock.
    internal DateTimeOffset Due { get; set; }

    internal TimeSpan Period { get; set; }

    internal long Sequence { get; set; }

    /// <summary>As <see cref="System.Threading.Timer.Change(TimeSpan, TimeSpan)"/>: an infinite due time stops the timer; a zero or infinite period makes it fire once.</summary>
    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        ThrowIfNegative(dueTime, nameof(dueTime));
        ThrowIfNegative(period, nameof(period));
        if (_disposed)
        {
            return false;
        }

        _provider.Schedule(this, dueTime, period);
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        _provider.Unschedule(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal void Fire()
    {
        // A timer disposed by an earlier callback in the same move does not fire.
        if (!_disposed)
        {
            _callback(_state);
        }
    }

    private static void ThrowIfNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be zero or more, or Timeout.InfiniteTimeSpan.");
        }
    }
}
