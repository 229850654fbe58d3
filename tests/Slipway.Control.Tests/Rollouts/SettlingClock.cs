namespace Slipway.Control.Tests.Rollouts;

/// <summary>
/// The clock a rollout runs on in tests: a fake clock seen through a layer that knows which of its timers are
/// armed and how many have fired, so <see cref="RolloutFixture"/> can move the fake and then wait, without
/// sleeping, until every loop the move woke is waiting on the clock again.
/// </summary>
/// <remarks>
/// A loop woken by a timer usually runs on inside the move and arms its next wait before the move returns; one
/// woken by a command, or busy with a real process (a hook, a backup), arms it later, and <see cref="Armed"/>
/// signals when it does.
/// </remarks>
internal sealed class SettlingClock : TimeProvider
{
    private readonly TimeProvider _fake;
    private readonly HashSet<ArmedTimer> _armed = [];
    private readonly SemaphoreSlim _changed = new(0);
    private int _created;
    private int _fired;

    public SettlingClock(TimeProvider fake) => _fake = fake;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public override long TimestampFrequency => _fake.TimestampFrequency;

    /// <summary>Timers created so far.</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>Timer callbacks run so far.</summary>
    public int Fired => Volatile.Read(ref _fired);

    /// <summary>Timers that can still fire: armed with a finite due time, not yet fired (one-shot) or disposed.</summary>
    public int Armed
    {
        get
        {
            lock (_armed)
            {
                return _armed.Count;
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ArmedTimer(this, period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan);
        Track(timer, dueTime != Timeout.InfiniteTimeSpan);
        Interlocked.Increment(ref _created);
        timer.Inner = _fake.CreateTimer(
            s =>
            {
                timer.OnFired();
                Interlocked.Increment(ref _fired);
                callback(s);
            },
            state,
            dueTime,
            period);
        _changed.Release();
        return timer;
    }

    /// <summary>Completes when a timer is created or disarmed, or after <paramref name="atMost"/>, whichever comes first.</summary>
    public Task ChangedAsync(TimeSpan atMost) => _changed.WaitAsync(atMost);

    private void Track(ArmedTimer timer, bool armed)
    {
        lock (_armed)
        {
            _ = armed ? _armed.Add(timer) : _armed.Remove(timer);
        }
    }

    private sealed class ArmedTimer(SettlingClock clock, bool periodic) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public void OnFired()
        {
            if (!periodic)
            {
                clock.Track(this, false);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Track(this, dueTime != Timeout.InfiniteTimeSpan);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            clock.Track(this, false);
            Inner.Dispose();
            clock._changed.Release();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
