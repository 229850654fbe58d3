using Microsoft.Extensions.Time.Testing;
using System.Diagnostics;
using Slipway.Proxy.Edge;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Edge;

/// <summary>The token buckets on a manual clock: no sleeps, exact arithmetic.</summary>
public sealed class RateLimiterTests
{
    private readonly FakeTimeProvider _time = TestClock.Create();

    private long Now => _time.GetTimestamp();

    [Fact]
    public void TryTake_BurstThenTheRate()
    {
        var limiter = new RateLimiter(perSecond: 10, burst: 20, _time.TimestampFrequency);

        for (var i = 0; i < 20; i++)
        {
            Assert.True(limiter.TryTake(42, Now, out _, out var remaining));
            Assert.Equal(19 - i, remaining);
        }

        Assert.False(limiter.TryTake(42, Now, out var retryAfter, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(100), retryAfter);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(limiter.TryTake(42, Now, out _, out _));
        Assert.False(limiter.TryTake(42, Now, out _, out _));

        _time.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 20; i++)
        {
            Assert.True(limiter.TryTake(42, Now, out _, out _));
        }

        Assert.False(limiter.TryTake(42, Now, out _, out _));
    }

    [Fact]
    public void TryTake_FivePerMinute_WaitsTwelveSecondsBetween()
    {
        var limiter = new RateLimiter(perSecond: 5 / 60.0, burst: 1, _time.TimestampFrequency);

        Assert.True(limiter.TryTake(7, Now, out _, out _));
        Assert.False(limiter.TryTake(7, Now, out var retryAfter, out _));
        Assert.Equal(12, retryAfter.TotalSeconds, precision: 3);

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.False(limiter.TryTake(7, Now, out retryAfter, out _));
        Assert.Equal(1, retryAfter.TotalSeconds, precision: 3);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryTake(7, Now, out _, out _));
    }

    [Fact]
    public void TryTake_KeysHaveTheirOwnBuckets()
    {
        var limiter = new RateLimiter(perSecond: 1, burst: 1, _time.TimestampFrequency);

        Assert.True(limiter.TryTake(1, Now, out _, out _));
        Assert.False(limiter.TryTake(1, Now, out _, out _));
        Assert.True(limiter.TryTake(2, Now, out _, out _));
    }

    [Fact]
    public void TryTake_AFloodOfDistinctKeys_StaysInItsTableAndKeepsADrainedBucket()
    {
        var limiter = new RateLimiter(perSecond: 5 / 60.0, burst: 5, _time.TimestampFrequency);
        const ulong Attacker = 0xDEADBEEF;
        for (var i = 0; i < 5; i++)
        {
            Assert.True(limiter.TryTake(Attacker, Now, out _, out _));
        }

        Assert.False(limiter.TryTake(Attacker, Now, out _, out _));

        var random = new Random(1);
        var allocated = Allocations.Fewest(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                Assert.True(limiter.TryTake((ulong)random.NextInt64(), Now, out _, out _));
            }
        });

        // No key costs memory of its own: the table was allocated once, and a flood of 100,000 keys allocated
        // (next to) nothing: what is left is the runtime's own, far less than a byte per key.
        Assert.InRange(allocated, 0, 4096);
        Assert.Equal(RateLimiter.Capacity, limiter.SlotCount);
        Assert.InRange(limiter.Active(Now), 1, RateLimiter.Capacity);
        Assert.True(limiter.Evictions > 0);

        // Evictions take the buckets closest to full first: the one drained to nothing is still there.
        Assert.False(limiter.TryTake(Attacker, Now, out _, out _));
    }

    [Fact]
    public void TryTake_ARefilledBucket_IsReusedWithoutEviction()
    {
        var limiter = new RateLimiter(perSecond: 1000, burst: 1, _time.TimestampFrequency, capacity: RateLimiter.GroupSize);
        for (var i = 1; i <= 1000; i++)
        {
            Assert.True(limiter.TryTake((ulong)i, Now, out _, out _));
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(0, limiter.Evictions);
    }

    [Fact]
    public void TryTake_ConcurrentTakers_NeverGrantMoreThanTheBucketHolds()
    {
        var limiter = new RateLimiter(perSecond: 1, burst: 1000, Stopwatch.Frequency);
        var granted = 0;
        var now = Stopwatch.GetTimestamp();
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (limiter.TryTake(99, now, out _, out _))
                {
                    Interlocked.Increment(ref granted);
                }
            }
        });

        Assert.Equal(1000, granted);
    }
}
