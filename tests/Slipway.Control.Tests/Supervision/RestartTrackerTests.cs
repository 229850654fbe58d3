using Slipway.Control.Supervision;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Control.Tests.Supervision;

public sealed class RestartTrackerTests
{
    private static readonly RestartSpec Spec = new()
    {
        Backoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(10),
        ResetAfter = TimeSpan.FromMinutes(1),
        CrashLoopThreshold = 5,
        CrashLoopWindow = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public void OnExited_RepeatedCrashes_BackoffDoublesUpToMax()
    {
        var clock = TestClock.Create();
        var tracker = new RestartTracker(Spec with { CrashLoopThreshold = 100 });
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            tracker.OnStarted(clock.GetUtcNow());
            clock.Advance(TimeSpan.FromSeconds(1));
            var decision = tracker.OnExited(clock.GetUtcNow(), failed: true);
            delays.Add(decision.Delay);
            clock.Advance(decision.Delay);
        }

        Assert.Equal([1, 2, 4, 8, 10, 10], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void OnExited_RanLongerThanResetAfter_BackoffStartsOver()
    {
        var clock = TestClock.Create();
        var tracker = new RestartTracker(Spec);
        tracker.OnStarted(clock.GetUtcNow());
        tracker.OnExited(clock.GetUtcNow(), failed: true);
        tracker.OnStarted(clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(2), tracker.OnExited(clock.GetUtcNow(), failed: true).Delay);

        tracker.OnStarted(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(TimeSpan.FromSeconds(1), tracker.OnExited(clock.GetUtcNow(), failed: true).Delay);
    }

    [Fact]
    public void OnExited_ThresholdCrashesWithinWindow_CrashLoopingOnceThenMaxBackoff()
    {
        var clock = TestClock.Create();
        var tracker = new RestartTracker(Spec);
        var decisions = new List<RestartDecision>();
        for (var i = 0; i < 7; i++)
        {
            tracker.OnStarted(clock.GetUtcNow());
            decisions.Add(tracker.OnExited(clock.GetUtcNow(), failed: true));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([false, false, false, false, true, true, true], decisions.Select(d => d.CrashLooping));
        Assert.Equal(1, decisions.Count(d => d.BecameCrashLooping));
        Assert.True(decisions[4].BecameCrashLooping);
        Assert.All(decisions.Skip(4), d => Assert.Equal(Spec.MaxBackoff, d.Delay));
        Assert.All(decisions, d => Assert.True(d.Restart));
    }

    [Fact]
    public void OnExited_CrashesSpreadBeyondWindow_NotCrashLooping()
    {
        var clock = TestClock.Create();
        var tracker = new RestartTracker(Spec with { ResetAfter = TimeSpan.FromHours(1) });
        for (var i = 0; i < 10; i++)
        {
            tracker.OnStarted(clock.GetUtcNow());
            Assert.False(tracker.OnExited(clock.GetUtcNow(), failed: true).CrashLooping);
            clock.Advance(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public void OnStillRunning_AfterResetAfter_ClearsCrashLooping()
    {
        var clock = TestClock.Create();
        var tracker = new RestartTracker(Spec);
        for (var i = 0; i < 5; i++)
        {
            tracker.OnStarted(clock.GetUtcNow());
            tracker.OnExited(clock.GetUtcNow(), failed: true);
        }

        Assert.True(tracker.IsCrashLooping);
        tracker.OnStarted(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(tracker.OnStillRunning(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(tracker.OnStillRunning(clock.GetUtcNow()));
        Assert.False(tracker.IsCrashLooping);
    }

    [Theory]
    [InlineData("Always", false, true)]
    [InlineData("Always", true, true)]
    [InlineData("OnFailure", false, false)]
    [InlineData("OnFailure", true, true)]
    [InlineData("Never", true, false)]
    public void OnExited_Policy_DecidesRestart(string policy, bool failed, bool restart)
    {
        var tracker = new RestartTracker(Spec with { Policy = Enum.Parse<RestartPolicy>(policy) });
        tracker.OnStarted(TestClock.Start);
        Assert.Equal(restart, tracker.OnExited(TestClock.Start, failed).Restart);
    }
}
