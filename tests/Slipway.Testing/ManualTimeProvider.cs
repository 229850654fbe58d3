namespace Slipway.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when a test says so, for testing code that waits,
/// times out or runs on a schedule without sleeping.
/// </summary>
/// <remarks>
/// <para>
/// Timers fire inside <see cref="Advance"/> and <see cref="SetUtcNow"/>, synchronously on the calling thread,
/// in due-time order across all timers (ties in the order they were scheduled). While a callback runs,
/// <see cref="GetUtcNow"/> reads exactly that timer's due time. A periodic timer fires once for every period the
/// move crosses. A timer due now or earlier (created with a zero due time, say) fires on the next move,
/// including <c>Advance(TimeSpan.Zero)</c>, never inside <see cref="CreateTimer"/>: code such as
/// <c>Task.Delay</c> assigns the timer after creating it, and a callback that ran first would find it unset.
/// </para>
/// <para>
/// <c>Task.Delay(TimeSpan, TimeProvider, CancellationToken)</c>, <c>Task.WaitAsync(TimeSpan, TimeProvider)</c>,
/// <c>new CancellationTokenSource(TimeSpan, TimeProvider)</c> with its <c>CancelAfter</c>, and <c>PeriodicTimer</c>
/// all work through <see cref="CreateTimer"/>. (<c>TimeProvider.CreateCancellationTokenSource</c> is the
/// Microsoft.Bcl.TimeProvider shim of that constructor for older frameworks; .NET 10 has only the constructor.)
/// The clock never moves backwards. All members are thread-safe. Moves are serialized, so two threads that each
/// advance by a second move the clock two seconds; callbacks run one at a time, outside the lock that guards the
/// clock and the schedule, so a callback may read the clock, create, change or dispose timers, or advance the clock.
/// </para>
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    /// <summary>Where a clock starts unless told otherwise: 2026-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();

    // Held for a whole move, callbacks included, so concurrent Advance calls add up and callbacks never overlap.
    // Reentrant: a callback may itself advance the clock.
    private readonly Lock _moveLock = new();
    private readonly List<ManualTimer> _scheduled = [];
    private DateTimeOffset _now;
    private TimeZoneInfo _localTimeZone;
    private long _nextSequence;

    public ManualTimeProvider()
        : this(DefaultStart)
    {
    }

    public ManualTimeProvider(DateTimeOffset start, TimeZoneInfo? localTimeZone = null)
    {
        _now = start.ToUniversalTime();
        _localTimeZone = localTimeZone ?? TimeZoneInfo.Utc;
    }

    /// <summary>UTC by default; see <see cref="SetLocalTimeZone"/>.</summary>
    public override TimeZoneInfo LocalTimeZone
    {
        get
        {
            lock (_lock)
            {
                return _localTimeZone;
            }
        }
    }

    /// <summary>Ticks of <see cref="TimeSpan"/>, so a timestamp difference is a <see cref="TimeSpan"/> in ticks.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <summary>The UTC ticks of <see cref="GetUtcNow"/>: timestamps move exactly as the clock does.</summary>
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>How many timers are waiting to fire. A test can wait for this to rise to know the code under test
    /// has started its delay before moving the clock; a move made earlier would pass it by.</summary>
    public int ScheduledTimerCount
    {
        get
        {
            lock (_lock)
            {
                return _scheduled.Count;
            }
        }
    }

    public void SetLocalTimeZone(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        lock (_lock)
        {
            _localTimeZone = zone;
        }
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that comes due on the way.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_moveLock)
        {
            MoveTo(GetUtcNow() + delta);
        }
    }

    /// <summary>Moves the clock forward to <paramref name="value"/>, firing every timer that comes due on the way.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is earlier than now: the clock does not go back.</exception>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_moveLock)
        {
            var now = GetUtcNow();
            if (value < now)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The clock is at {now:O} and does not go back.");
            }

            MoveTo(value);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public override string ToString() => $"{nameof(ManualTimeProvider)} at {GetUtcNow():O}";

    // Called by ManualTimer.Change: (re)schedules, or unschedules when dueTime is infinite.
    internal void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            _scheduled.Remove(timer);
            timer.Period = period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.Due = _now + dueTime;
            timer.Sequence = _nextSequence++;
            _scheduled.Add(timer);
        }
    }

    internal void Unschedule(ManualTimer timer)
    {
        lock (_lock)
        {
            _scheduled.Remove(timer);
        }
    }

    private void MoveTo(DateTimeOffset target)
    {
        while (true)
        {
            ManualTimer? next = null;
            lock (_lock)
            {
                foreach (var timer in _scheduled)
                {
                    if (timer.Due <= target && (next is null || timer.Due < next.Due || (timer.Due == next.Due && timer.Sequence < next.Sequence)))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    if (target > _now)
                    {
                        _now = target;
                    }

                    return;
                }

                if (next.Due > _now)
                {
                    _now = next.Due;
                }

                // Reschedule before the callback runs, so the callback sees (and may change) the next firing.
                _scheduled.Remove(next);
                if (next.Period > TimeSpan.Zero && next.Period != Timeout.InfiniteTimeSpan)
                {
                    next.Due += next.Period;
                    next.Sequence = _nextSequence++;
                    _scheduled.Add(next);
                }
            }

            next.Fire();
        }
    }
}
