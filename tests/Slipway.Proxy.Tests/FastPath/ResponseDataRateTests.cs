using Microsoft.AspNetCore.Server.Kestrel.Core;
using Slipway.Proxy.FastPath;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>The deadline of a flush that waits for the client, on the manual clock: Kestrel's rule, per response.</summary>
public sealed class ResponseDataRateTests
{
    private static readonly ResponseDataRate KestrelDefault = new(new KestrelServerLimits().MinResponseDataRate!);

    [Fact]
    public void Deadline_ASmallFlush_GetsTheGracePeriodFromNow()
    {
        var (time, heartbeat) = Clock();
        var start = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(3));
        var now = time.GetTimestamp();

        var deadline = KestrelDefault.Deadline(heartbeat, now, start, pending: 100, sent: 100);

        Assert.Equal(TimeSpan.FromSeconds(5), time.GetElapsedTime(now, deadline));
    }

    [Fact]
    public void Deadline_ALargeFlush_GetsItsBytesAtTheRate()
    {
        var (time, heartbeat) = Clock();
        var now = time.GetTimestamp();

        var deadline = KestrelDefault.Deadline(heartbeat, now, now, pending: 24_000, sent: 24_000);

        Assert.Equal(TimeSpan.FromSeconds(100), time.GetElapsedTime(now, deadline));
    }

    [Fact]
    public void Deadline_AfterMuchOfTheResponseWentQuickly_KeepsTheWholeResponsesAllowance()
    {
        var (time, heartbeat) = Clock();
        var start = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(60));
        var now = time.GetTimestamp();

        var deadline = KestrelDefault.Deadline(heartbeat, now, start, pending: 2_400, sent: 2_400_000);

        Assert.Equal(TimeSpan.FromSeconds(10_000), time.GetElapsedTime(start, deadline));
    }

    [Fact]
    public void ProxyDefaults_AreKestrelsOwn()
    {
        var kestrel = new KestrelServerLimits();
        var options = new ProxyServerOptions();

        Assert.Equal(
            (kestrel.MinResponseDataRate!.BytesPerSecond, kestrel.MinResponseDataRate.GracePeriod),
            (options.MinResponseDataRate!.BytesPerSecond, options.MinResponseDataRate.GracePeriod));
        Assert.Equal(
            (kestrel.MinRequestBodyDataRate!.BytesPerSecond, kestrel.MinRequestBodyDataRate.GracePeriod),
            (options.MinRequestBodyDataRate!.BytesPerSecond, options.MinRequestBodyDataRate.GracePeriod));
    }

    private static (Microsoft.Extensions.Time.Testing.FakeTimeProvider Time, TimeoutHeartbeat Heartbeat) Clock()
    {
        var time = TestClock.Create();
        return (time, new TimeoutHeartbeat(time));
    }
}
