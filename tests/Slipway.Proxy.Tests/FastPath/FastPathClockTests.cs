using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>
/// The fast path reads the injected clock twice per request: at its start (the pick, the pool, the retry budget,
/// passive health and the first-byte deadline take that timestamp) and at its end (the duration, the pool's return
/// and the keep-alive wait after it). Each of those read the clock itself before: about ten reads per request, ~2 %
/// of the proxy's CPU samples at 64 connections.
/// </summary>
public sealed class FastPathClockTests
{
    private const int Requests = 100;

    [Fact]
    public async Task Get_OnAKeepAliveConnection_ReadsTheClockTwicePerRequest()
    {
        var clock = new CountingClock();
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), o => o with { TimeProvider = clock });
        await using var raw = await proxy.ConnectAsync();

        // The first request connects to the backend (a connect reads the clock again); the rest reuse that connection.
        await RoundTripAsync(raw);
        var before = clock.Timestamps;
        for (var i = 0; i < Requests; i++)
        {
            await RoundTripAsync(raw);
        }

        var perRequest = (clock.Timestamps - before) / (double)Requests;
        Assert.Equal(Requests + 1, proxy.Proxy.Counters.FastPath);
        // 2 per request, and a little room for the timeout heartbeat's own read once a second (10 before this change).
        Assert.True(perRequest < 2.5, $"{perRequest:F2} clock reads per request");
    }

    private static async Task RoundTripAsync(RawHttp raw)
    {
        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.EndsWith("\r\n\r\nok", await raw.ReadUntilAsync("\r\n\r\nok"), StringComparison.Ordinal);
    }

    /// <summary>The system's clock, counting the timestamps read from it.</summary>
    private sealed class CountingClock : TimeProvider
    {
        private long _timestamps;

        public long Timestamps => Interlocked.Read(ref _timestamps);

        public override long TimestampFrequency => System.TimestampFrequency;

        public override long GetTimestamp()
        {
            Interlocked.Increment(ref _timestamps);
            return System.GetTimestamp();
        }
    }
}
