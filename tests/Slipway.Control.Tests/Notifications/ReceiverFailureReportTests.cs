using Slipway.Control.Notifications;
using Slipway.Testing;

namespace Slipway.Control.Tests.Notifications;

public sealed class ReceiverFailureReportTests
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = TestClock.Create();
    private readonly List<string> _said = [];

    private ReceiverFailureReport Report() => new(_time, _said.Add) { Interval = TimeSpan.FromMinutes(5) };

    [Fact]
    public void Failed_ManyTimesWithinTheInterval_SaidOnceThenOnceMoreWithTheCount()
    {
        var report = Report();
        for (var i = 0; i < 60; i++)
        {
            report.Failed("hook", "answered 500", unresolved: false);
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(["receiver hook: answered 500"], _said);
        _time.Advance(TimeSpan.FromMinutes(4));
        report.Failed("hook", "answered 500", unresolved: false);
        Assert.Equal("receiver hook: answered 500 (59 more failed since the last report)", _said[^1]);
        Assert.Equal(2, _said.Count);
    }

    [Fact]
    public void Unset_SaidAtStart_ItsFailuresAreNotSaidAgain()
    {
        var report = Report();
        report.Unset("oncall", "env:SLACK_WEBHOOK");
        for (var i = 0; i < 20; i++)
        {
            report.Failed("oncall", "its URL is not set", unresolved: true);
            _time.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal(["receiver oncall: its URL (env:SLACK_WEBHOOK) is not set, so nothing is sent to it until it is (set it and the next notification goes out); each one not sent is counted in slipway_notifications_failed_total"], _said);
    }
}
