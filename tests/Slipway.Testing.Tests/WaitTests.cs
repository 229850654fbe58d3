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

    [Fact]
    public async Task UntilPastErrorsAsync_LooksThatThrowThenOneThatHolds_Returns()
    {
        var calls = 0;

        await Wait.UntilPastErrorsAsync(() => ++calls < 3 ? throw new IOException("connection refused") : Task.FromResult(true), "the database", seconds: 30);

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task UntilPastErrorsAsync_EveryLookThrows_TimesOutNamingTheLastErrorAndTheDetail()
    {
        var calls = 0;

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Wait.UntilPastErrorsAsync(
            () => throw new IOException($"connection refused ({++calls})"), "the database", seconds: 0, () => "daemon output"));

        Assert.Equal($"timed out after 0s waiting for the database; the last look failed: IOException: connection refused ({calls})\ndaemon output", error.Message);
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public async Task UntilPastErrorsAsync_GiveUpGivesAReason_EndsAfterTheFirstLookThatDidNotHold()
    {
        var looks = 0;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.UntilPastErrorsAsync(
            () => ++looks == 1 ? throw new IOException("connection refused") : Task.FromResult(false),
            "the database", seconds: 30, () => "daemon output", () => "slipway exited"));

        Assert.Equal("slipway exited while waiting for the database\ndaemon output", error.Message);
        Assert.Equal(1, looks);
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public async Task UntilPastErrorsAsync_HoldsAsTheProcessExits_Returns() =>
        await Wait.UntilPastErrorsAsync(() => Task.FromResult(true), "the last line before exit", seconds: 0, giveUp: () => "slipway exited");
}
