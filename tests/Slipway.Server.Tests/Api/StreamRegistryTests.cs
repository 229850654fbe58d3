using Microsoft.Extensions.Time.Testing;
using Slipway.Server.Api;
using Slipway.Testing;

namespace Slipway.Server.Tests.Api;

public sealed class StreamRegistryTests
{
    private readonly FakeTimeProvider _time = TestClock.Create();

    [Fact]
    public void TryOpen_OverThePerTokenCap_RefusedWith429_OtherTokensStillServed()
    {
        var registry = new StreamRegistry(_time) { PerToken = 2, Total = 10 };
        using var a = registry.TryOpen("ci", out _, out _);
        using var b = registry.TryOpen("ci", out _, out _);

        Assert.Null(registry.TryOpen("ci", out var refusal, out var status));
        Assert.Equal(429, status);
        Assert.Contains("token ci already has 2 streams open", refusal, StringComparison.Ordinal);
        using var other = registry.TryOpen("alice", out _, out _);
        Assert.NotNull(other);
    }

    [Fact]
    public void TryOpen_OverTheTotalCap_RefusedWith503_UntilOneCloses()
    {
        var registry = new StreamRegistry(_time) { PerToken = 10, Total = 2 };
        var a = registry.TryOpen("ci", out _, out _)!;
        using var b = registry.TryOpen("alice", out _, out _);

        Assert.Null(registry.TryOpen("bob", out _, out var status));
        Assert.Equal(503, status);
        a.Dispose();
        using var c = registry.TryOpen("bob", out _, out _);
        Assert.NotNull(c);
        Assert.Equal(2, registry.Count);
    }

    [Fact]
    public void Revoke_EndsThatTokensStreamsOnly_SayingWhy()
    {
        var registry = new StreamRegistry(_time);
        using var ci = registry.TryOpen("ci", out _, out _)!;
        using var alice = registry.TryOpen("alice", out _, out _)!;

        registry.Revoke("ci");

        Assert.True(ci.Ended.IsCancellationRequested);
        Assert.Equal("token ci was revoked", ci.Reason);
        Assert.False(alice.Ended.IsCancellationRequested);
    }

    [Fact]
    public void Lease_OlderThanTheLifetime_Ended()
    {
        var registry = new StreamRegistry(_time) { Lifetime = TimeSpan.FromHours(1) };
        using var lease = registry.TryOpen("ci", out _, out _)!;

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(lease.Ended.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(lease.Ended.IsCancellationRequested);
        Assert.Contains("open 1h, the longest a stream may be", lease.Reason, StringComparison.Ordinal);
    }
}
