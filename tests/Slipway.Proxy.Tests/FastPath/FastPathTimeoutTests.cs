using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.FastPath;

/// <remarks>
/// The fast path's timeouts run on one heartbeat timer of the injected clock that ends the waits past their deadline:
/// on a fake clock nothing ends until the clock moves past the timeout, and then it does (the timeouts are ten
/// minutes long, so the real clock cannot be what ends them within the test). The clock moves in steps until the
/// outcome shows: the connection arms its deadline when it gets to the wait, which the test cannot see.
/// </remarks>
public sealed class FastPathTimeoutTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task FirstByte_PastTheRoutesTimeoutOnTheInjectedClock_Answers504()
    {
        var time = TestClock.Create();
        var backend = RawBackend.Start(_ => RawAnswer.Of(string.Empty));
        await using var _ = backend;
        var route = RoutePolicy.Default with { FirstByteTimeout = Long };
        await using var proxy = await ProxyHarness.StartAsync(Single("api", ServicePolicy.Default with { MaxAttempts = 1 }, route, backend.Endpoint()), o => o with { TimeProvider = time });
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        await Wait.UntilAsync(() => !backend.Requests.IsEmpty, "the request to reach the backend", seconds: 10);
        var head = raw.ReadHeadAsync();
        await AdvanceUntilAsync(time, head);

        Assert.StartsWith("HTTP/1.1 504 ", await head, StringComparison.Ordinal);
        Assert.Equal(504, Assert.Single(proxy.Sink.Samples).StatusCode);
    }

    [Fact]
    public async Task KeepAlive_AnIdleConnectionPastTheTimeoutOnTheInjectedClock_IsClosed()
    {
        var time = TestClock.Create();
        var backend = RawBackend.StartOk();
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), o => o with { TimeProvider = time, KeepAliveTimeout = Long });
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 ", await raw.ReadUntilAsync("\r\n\r\nok"), StringComparison.Ordinal);
        var end = raw.ReadToEndAsync();
        await AdvanceUntilAsync(time, end);

        var (text, ended) = await end;
        Assert.True(ended, "the idle connection stayed open: " + text);
        Assert.Equal(string.Empty, text);
    }

    /// <summary>Moves the clock a timeout and a heartbeat at a time until <paramref name="outcome"/> completes (at most 10 s of real time).</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Task outcome) =>
        await Wait.UntilAsync(
            () =>
            {
                if (!outcome.IsCompleted)
                {
                    time.Advance(Long + TimeSpan.FromSeconds(1));
                }

                return outcome.IsCompleted;
            },
            "the timeout to end the wait",
            seconds: 10);
}
