using Slipway.Control.Probes;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Tests.Probes;

public sealed class ProbeTrackerTests
{
    [Fact]
    public void Record_FailuresBelowThreshold_StaysUndecided()
    {
        var tracker = new ProbeTracker(new ProbeSpec { Tcp = true, FailureThreshold = 3 });
        Assert.Null(tracker.Record(false));
        Assert.Null(tracker.Record(false));
        Assert.Equal(ProbeState.Unknown, tracker.State);
        Assert.Equal(ProbeState.Failing, tracker.Record(false));
    }

    [Fact]
    public void Record_SuccessThreshold_NeedsThatManyInARow()
    {
        var tracker = new ProbeTracker(new ProbeSpec { Tcp = true, SuccessThreshold = 2, FailureThreshold = 1 });
        Assert.Equal(ProbeState.Failing, tracker.Record(false));
        Assert.Null(tracker.Record(true));
        Assert.Null(tracker.Record(false));
        Assert.Null(tracker.Record(true));
        Assert.Equal(ProbeState.Passing, tracker.Record(true));
        Assert.Null(tracker.Record(true));
    }

    [Fact]
    public void Record_SuccessBetweenFailures_ResetsTheCount()
    {
        var tracker = new ProbeTracker(new ProbeSpec { Tcp = true, FailureThreshold = 2 });
        Assert.Equal(ProbeState.Passing, tracker.Record(true));
        Assert.Null(tracker.Record(false));
        Assert.Null(tracker.Record(true));
        Assert.Null(tracker.Record(false));
        Assert.Equal(ProbeState.Failing, tracker.Record(false));
        Assert.Equal(2, tracker.ConsecutiveFailures);
    }
}
