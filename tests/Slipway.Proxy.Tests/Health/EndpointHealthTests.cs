using Microsoft.Extensions.Time.Testing;
using Slipway.Proxy.Health;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Health;

public sealed class EndpointHealthTests
{
    private readonly FakeTimeProvider _time = TestClock.Create();

    private EndpointHealth Create(PassiveHealthOptions? options = null) =>
        new(options ?? new PassiveHealthOptions { ConsecutiveFailures = 3, FailureRate = 0, BaseEjection = TimeSpan.FromSeconds(10), MaxEjection = TimeSpan.FromSeconds(35) }, _time);

    private bool FailTimes(EndpointHealth health, int times)
    {
        var ejected = false;
        for (var i = 0; i < times; i++)
        {
            ejected |= health.ReportFailure(_time.GetTimestamp());
        }

        return ejected;
    }

    [Fact]
    public void ReportFailure_BelowConsecutiveThreshold_DoesNotEject()
    {
        var health = Create();

        Assert.False(FailTimes(health, 2));
        Assert.False(health.IsEjected());
    }

    [Fact]
    public void ReportFailure_ConsecutiveThreshold_Ejects()
    {
        var health = Create();

        Assert.True(FailTimes(health, 3));
        Assert.True(health.IsEjected());
    }

    [Fact]
    public void ReportSuccess_BetweenFailures_ResetsTheCount()
    {
        var health = Create();
        FailTimes(health, 2);
        health.ReportSuccess(_time.GetTimestamp());

        Assert.False(FailTimes(health, 2));
    }

    [Fact]
    public void Ejection_EndsAfterTheBasePeriod()
    {
        var health = Create();
        FailTimes(health, 3);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(health.IsEjected());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(health.IsEjected());
    }

    [Fact]
    public void Ejection_Repeated_DoublesThePeriodUpToTheMax()
    {
        var health = Create();
        var periods = new List<int>();
        for (var round = 0; round < 4; round++)
        {
            FailTimes(health, 3);
            var seconds = 0;
            while (health.IsEjected())
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                seconds++;
            }

            periods.Add(seconds);
        }

        Assert.Equal([10, 20, 35, 35], periods);
    }

    [Fact]
    public void Ejection_AfterALongHealthyStretch_StartsOverAtTheBasePeriod()
    {
        var health = Create();
        FailTimes(health, 3);
        _time.Advance(TimeSpan.FromSeconds(10));
        FailTimes(health, 3);
        _time.Advance(TimeSpan.FromSeconds(20));

        _time.Advance(TimeSpan.FromMinutes(5));
        FailTimes(health, 3);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(health.IsEjected());
    }

    [Fact]
    public void ReportFailure_FailureRateOverWindow_Ejects()
    {
        var health = Create(new PassiveHealthOptions { ConsecutiveFailures = 0, FailureRate = 0.5, MinimumRequests = 10, Window = TimeSpan.FromSeconds(10) });
        var now = _time.GetTimestamp();
        var ejected = false;
        for (var i = 0; i < 10; i++)
        {
            if (i % 2 == 0)
            {
                health.ReportSuccess(now);
            }
            else
            {
                ejected |= health.ReportFailure(now);
            }
        }

        Assert.True(ejected);
    }

    [Fact]
    public void ReportFailure_RateBelowMinimumRequests_DoesNotEject()
    {
        var health = Create(new PassiveHealthOptions { ConsecutiveFailures = 0, FailureRate = 0.5, MinimumRequests = 10 });

        Assert.False(FailTimes(health, 9));
    }

    [Fact]
    public void ReportFailure_OldFailuresOutsideTheWindow_AreForgotten()
    {
        var health = Create(new PassiveHealthOptions { ConsecutiveFailures = 0, FailureRate = 0.5, MinimumRequests = 10, Window = TimeSpan.FromSeconds(10) });
        FailTimes(health, 6);
        _time.Advance(TimeSpan.FromSeconds(11));
        for (var i = 0; i < 6; i++)
        {
            health.ReportSuccess(_time.GetTimestamp());
        }

        Assert.False(FailTimes(health, 4));
    }
}
