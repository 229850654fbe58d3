namespace Slipway.Testing.Tests;

public sealed class ManualTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Constructor_NoArguments_StartsAtNewYear2026InUtc()
    {
        var clock = new ManualTimeProvider();

        Assert.Equal(Start, clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.GetUtcNow().Offset);
        Assert.Same(TimeZoneInfo.Utc, clock.LocalTimeZone);
    }

    [Fact]
    public void Constructor_StartWithOffset_ReportsSameInstantInUtc()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2)));

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.GetUtcNow().Offset);
    }

    [Fact]
    public void SetLocalTimeZone_Berlin_GetLocalNowUsesIt()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.Zero));

        clock.SetLocalTimeZone(berlin);

        Assert.Same(berlin, clock.LocalTimeZone);
        Assert.Equal(TimeSpan.FromHours(2), clock.GetLocalNow().Offset);
        Assert.Equal(12, clock.GetLocalNow().Hour);
    }

    [Fact]
    public void Advance_MovesUtcNowAndTimestampTogether()
    {
        var clock = new ManualTimeProvider();
        var before = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(Start.AddMilliseconds(1500), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMilliseconds(1500), clock.GetElapsedTime(before));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), clock.GetElapsedTime(before, clock.GetTimestamp()));
    }

    [Fact]
    public void Advance_Negative_Throws()
    {
        var clock = new ManualTimeProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public void SetUtcNow_Backwards_ThrowsAndKeepsTime()
    {
        var clock = new ManualTimeProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(Start.AddTicks(-1)));
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public void SetUtcNow_Forward_MovesClock()
    {
        var clock = new ManualTimeProvider();

        clock.SetUtcNow(Start.AddHours(3));

        Assert.Equal(Start.AddHours(3), clock.GetUtcNow());
    }

    [Fact]
    public void CreateTimer_OneShot_FiresExactlyAtDueTimeAndOnce()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromTicks(TimeSpan.FromSeconds(5).Ticks - 1));
        Assert.Empty(fired);

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal([Start.AddSeconds(5)], fired);

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Single(fired);
    }

    [Fact]
    public void CreateTimer_OneShotInsideLongAdvance_SeesItsDueTimeThenClockReachesTarget()
    {
        var clock = new ManualTimeProvider();
        DateTimeOffset? seen = null;
        using var timer = clock.CreateTimer(_ => seen = clock.GetUtcNow(), null, TimeSpan.FromSeconds(5), TimeSpan.Zero);

        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(Start.AddSeconds(5), seen);
        Assert.Equal(Start.AddMinutes(1), clock.GetUtcNow());
    }

    [Fact]
    public void CreateTimer_Periodic_FiresOncePerPeriodCrossed()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        clock.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal([Start.AddSeconds(1), Start.AddSeconds(3), Start.AddSeconds(5)], fired);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Start.AddSeconds(7), fired[^1]);
        Assert.Equal(4, fired.Count);
    }

    [Fact]
    public void CreateTimer_SeveralTimers_FireInDueTimeOrderThenCreationOrder()
    {
        var clock = new ManualTimeProvider();
        var order = new List<string>();
        using var late = clock.CreateTimer(_ => order.Add("late"), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var tieA = clock.CreateTimer(_ => order.Add("tieA"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => order.Add("early"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var tieB = clock.CreateTimer(_ => order.Add("tieB"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["early", "tieA", "tieB", "late"], order);
    }

    [Fact]
    public void CreateTimer_PeriodicAndOneShot_InterleaveByDueTime()
    {
        var clock = new ManualTimeProvider();
        var order = new List<string>();
        using var periodic = clock.CreateTimer(_ => order.Add("p@" + (clock.GetUtcNow() - Start).TotalSeconds), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        using var once = clock.CreateTimer(_ => order.Add("o@" + (clock.GetUtcNow() - Start).TotalSeconds), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(["p@2", "o@3", "p@4", "p@6"], order);
    }

    [Fact]
    public void CreateTimer_PassesState()
    {
        var clock = new ManualTimeProvider();
        object? received = null;
        var state = new object();
        using var timer = clock.CreateTimer(s => received = s, state, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Same(state, received);
    }

    [Fact]
    public void CreateTimer_ZeroDueTime_DoesNotFireUntilClockIsMoved()
    {
        var clock = new ManualTimeProvider();
        var count = 0;

        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Equal(0, count);

        clock.Advance(TimeSpan.Zero);
        Assert.Equal(1, count);
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public void CreateTimer_InfiniteDueTime_NeverFires()
    {
        var clock = new ManualTimeProvider();
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal(0, count);
    }

    [Fact]
    public void CreateTimer_NegativeDueTime_Throws()
    {
        var clock = new ManualTimeProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(-2), Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromSeconds(-2)));
    }

    [Fact]
    public void Change_Reschedules_FromCurrentTime()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(4));

        Assert.True(timer.Change(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan));
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(fired);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([Start.AddSeconds(14)], fired);
    }

    [Fact]
    public void Change_InfiniteDueTime_StopsTimer()
    {
        var clock = new ManualTimeProvider();
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(2));

        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(2, count);
    }

    [Fact]
    public void Dispose_BeforeDue_TimerNeverFiresAndChangeReturnsFalse()
    {
        var clock = new ManualTimeProvider();
        var count = 0;
        var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, count);
        Assert.False(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, count);
    }

    [Fact]
    public async Task DisposeAsync_StopsTimer()
    {
        var clock = new ManualTimeProvider();
        var count = 0;
        var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        await timer.DisposeAsync();
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(0, count);
    }

    [Fact]
    public void Callback_DisposesAnotherTimerDueInSameAdvance_OtherDoesNotFire()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<string>();
        ITimer? second = null;
        using var first = clock.CreateTimer(_ => { fired.Add("first"); second!.Dispose(); }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        second = clock.CreateTimer(_ => fired.Add("second"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(["first"], fired);
    }

    [Fact]
    public void Callback_CreatesTimerDueWithinSameAdvance_NewTimerFiresInOrder()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<(string Name, DateTimeOffset At)>();
        var timers = new List<ITimer>();
        timers.Add(clock.CreateTimer(_ =>
        {
            fired.Add(("outer", clock.GetUtcNow()));
            timers.Add(clock.CreateTimer(_ => fired.Add(("inner", clock.GetUtcNow())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan));
        }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        timers.Add(clock.CreateTimer(_ => fired.Add(("other", clock.GetUtcNow())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan));

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal([("outer", Start.AddSeconds(1)), ("other", Start.AddSeconds(2)), ("inner", Start.AddSeconds(3))], fired);
        timers.ForEach(t => t.Dispose());
    }

    [Fact]
    public void Callback_ChangesOwnTimer_RescheduleHonoured()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<DateTimeOffset>();
        ITimer? timer = null;
        // A backoff: each firing doubles the wait, the way retry loops use one timer.
        var wait = TimeSpan.FromSeconds(1);
        timer = clock.CreateTimer(_ =>
        {
            fired.Add(clock.GetUtcNow());
            wait *= 2;
            timer!.Change(wait, Timeout.InfiniteTimeSpan);
        }, null, wait, Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal([Start.AddSeconds(1), Start.AddSeconds(3), Start.AddSeconds(7), Start.AddSeconds(15)], fired);
        timer.Dispose();
    }

    [Fact]
    public void Callback_ThatThrows_PropagatesToAdvanceCaller()
    {
        var clock = new ManualTimeProvider();
        using var timer = clock.CreateTimer(_ => throw new InvalidOperationException("boom"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        var error = Assert.Throws<InvalidOperationException>(() => clock.Advance(TimeSpan.FromSeconds(5)));

        Assert.Equal("boom", error.Message);
        Assert.Equal(Start.AddSeconds(1), clock.GetUtcNow());
    }

    [Fact]
    public void Callback_RunsOnAdvancingThread()
    {
        var clock = new ManualTimeProvider();
        int? callbackThread = null;
        using var timer = clock.CreateTimer(_ => callbackThread = Environment.CurrentManagedThreadId, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(Environment.CurrentManagedThreadId, callbackThread);
    }

    [Fact]
    public void SetUtcNow_FiresTimersOnTheWay()
    {
        var clock = new ManualTimeProvider();
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        clock.SetUtcNow(Start.AddMinutes(10));

        Assert.Equal(10, count);
    }

    [Fact]
    public async Task TaskDelay_CompletesOnlyWhenClockPassesDelay()
    {
        var clock = new ManualTimeProvider();

        var delay = Task.Delay(TimeSpan.FromSeconds(30), clock, CancellationToken.None);
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(delay.IsCompletedSuccessfully);
        await delay;
    }

    [Fact]
    public async Task TaskDelay_CancelledBeforeDue_IsCanceled()
    {
        var clock = new ManualTimeProvider();
        using var cts = new CancellationTokenSource();
        var delay = Task.Delay(TimeSpan.FromSeconds(30), clock, cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay);
        clock.Advance(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void CancellationTokenSource_WithTimeProvider_CancelsOnlyAtDelay()
    {
        var clock = new ManualTimeProvider();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10), clock);

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(cts.IsCancellationRequested);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public void CancellationTokenSource_CancelAfter_UsesManualClock()
    {
        var clock = new ManualTimeProvider();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10), clock);

        clock.Advance(TimeSpan.FromSeconds(5));
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(cts.IsCancellationRequested);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public async Task WaitAsync_WithTimeProvider_TimesOutOnlyWhenAdvanced()
    {
        var clock = new ManualTimeProvider();
        var never = new TaskCompletionSource();

        var wait = never.Task.WaitAsync(TimeSpan.FromSeconds(5), clock);
        Assert.False(wait.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<TimeoutException>(() => wait);
    }

    [Fact]
    public async Task PeriodicTimer_WithTimeProvider_TicksPerAdvance()
    {
        var clock = new ManualTimeProvider();
        using var periodic = new PeriodicTimer(TimeSpan.FromSeconds(10), clock);

        var tick = periodic.WaitForNextTickAsync();
        Assert.False(tick.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await tick);

        var next = periodic.WaitForNextTickAsync();
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await next);
    }

    [Fact]
    public async Task LoopUnderTest_WithDelays_RunsOncePerAdvance()
    {
        // The shape of every controller loop: work, then Task.Delay on the injected clock.
        var clock = new ManualTimeProvider();
        using var stop = new CancellationTokenSource();
        var runs = 0;
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref runs);
                await Task.Delay(TimeSpan.FromSeconds(5), clock, stop.Token);
            }
        });

        await WaitUntilAsync(() => Volatile.Read(ref runs) == 1);
        for (var expected = 2; expected <= 4; expected++)
        {
            // The loop must have registered its delay before the clock moves, or the move is lost.
            await WaitUntilAsync(() => clock.ScheduledTimerCount > 0);
            clock.Advance(TimeSpan.FromSeconds(5));
            await WaitUntilAsync(() => Volatile.Read(ref runs) == expected);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        Assert.Equal(4, runs);
    }

    [Fact]
    public void ConcurrentAdvances_AddUpAndFireEveryTimerExactlyOnce()
    {
        var clock = new ManualTimeProvider();
        var fired = 0;
        var timers = Enumerable.Range(1, 1000)
            .Select(i => clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMilliseconds(i), Timeout.InfiniteTimeSpan))
            .ToList();

        Parallel.For(0, 8, _ =>
        {
            for (var step = 0; step < 200; step++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(1));
            }
        });

        Assert.Equal(1000, fired);
        Assert.Equal(Start.AddMilliseconds(1600), clock.GetUtcNow());
        timers.ForEach(t => t.Dispose());
    }

    [Fact]
    public void ScheduledTimerCount_CountsTimersThatCanStillFire()
    {
        var clock = new ManualTimeProvider();
        using var once = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var periodic = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var stopped = clock.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.Equal(2, clock.ScheduledTimerCount);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, clock.ScheduledTimerCount);

        periodic.Dispose();
        Assert.Equal(0, clock.ScheduledTimerCount);
    }

    [Fact]
    public void ToString_ShowsTime()
    {
        Assert.Equal("ManualTimeProvider at 2026-01-01T00:00:00.0000000+00:00", new ManualTimeProvider().ToString());
    }

    // Lets the loop's thread catch up: yields, never sleeps, and gives up after ten real seconds.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var giveUpAt = Environment.TickCount64 + 10_000;
        while (!condition() && Environment.TickCount64 < giveUpAt)
        {
            await Task.Yield();
        }

        Assert.True(condition(), "condition not reached");
    }
}
