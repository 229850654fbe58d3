using Microsoft.Extensions.Time.Testing;

namespace Slipway.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also says how many of its timers are waiting to fire, which the fake
/// keeps to itself. A test that must not move the clock before the code under test has started its delay (a move
/// made earlier would pass it by) waits for <see cref="ScheduledTimerCount"/> to rise first.
/// </summary>
public sealed class TimerCountingClock : FakeTimeProvider
{
    private readonly HashSet<CountedTimer> _armed = [];

    public TimerCountingClock()
        : base(TestClock.Start)
    {
    }

    /// <summary>Timers that can still fire: created or changed with a finite due time, not yet fired (one-shot) or disposed.</summary>
    public int ScheduledTimerCount
    {
        get
        {
            lock (_armed)
            {
                return _armed.Count;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var counted = new CountedTimer(this);
        counted.Arm(dueTime, period);
        counted.Inner = base.CreateTimer(
            s =>
            {
                counted.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
        return counted;
    }

    private void Track(CountedTimer timer, bool armed)
    {
        lock (_armed)
        {
            _ = armed ? _armed.Add(timer) : _armed.Remove(timer);
        }
    }

    private sealed class CountedTimer(TimerCountingClock clock) : ITimer
    {
        private bool _periodic;

        public ITimer Inner { get; set; } = null!;

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            _periodic = period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan;
            clock.Track(this, dueTime != Timeout.InfiniteTimeSpan);
        }

        public void Fired()
        {
            if (!_periodic)
            {
                clock.Track(this, false);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            clock.Track(this, false);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
