namespace Slipway.Testing.Tests;

public sealed class WaitTests
{
    [Fact]
    public async Task UntilAsync_ConditionTurnsTrue_Returns()
    {
        var calls = 0;

        await Wait.UntilAsync(() => ++calls == 3, "the third call", seconds: 30);

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task UntilAsync_ConditionNeverHolds_FailsNamingWhatAndTheDetailAtThatMoment()
    {
        var state = "starting";

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Wait.UntilAsync(
            () =>
            {
                state = "still starting";
                return false;
            },
            "the daemon",
            seconds: 0,
            () => state));

        Assert.Equal("timed out after 0s waiting for the daemon\nstill starting", error.Message);
    }

    [Fact]
    public async Task ForAsync_ConditionNeverHolds_ReturnsFalse() =>
        Assert.False(await Wait.ForAsync(() => false, seconds: 0));
}
