namespace Slipway.Testing;

/// <summary>
/// Bounded waiting on real processes, sockets and servers: polls a condition until it holds, or fails the test
/// saying what it waited for. Unit tests advance a manual clock instead and never come here.
/// </summary>
public static class Wait
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <param name="detail">Appended to the failure, read when it happens (a daemon's output so far).</param>
    public static Task UntilAsync(Func<bool> condition, string what, int seconds = 60, Func<string>? detail = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, seconds, detail);

    /// <param name="detail">Appended to the failure, read when it happens (a daemon's output so far).</param>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 60, Func<string>? detail = null)
    {
        if (!await ForAsync(condition, seconds))
        {
            throw new TimeoutException($"timed out after {seconds}s waiting for {what}{(detail is null ? "" : "\n" + detail())}");
        }
    }

    /// <summary>
    /// Waits on something that may fail for a moment while it is polled (a database the daemon restarts refuses
    /// connections, a request times out under load): a look that throws counts as "not yet" and is taken again until
    /// the deadline, whose failure names the last error. <paramref name="giveUp"/> is asked after each look that did not
    /// hold; a reason it gives ends the wait at once (the daemon polled exited: nothing will change).
    /// </summary>
    /// <param name="detail">Appended to a failure, read when it happens (a daemon's output so far).</param>
    public static async Task UntilPastErrorsAsync(Func<Task<bool>> condition, string what, int seconds = 60, Func<string>? detail = null, Func<string?>? giveUp = null)
    {
        Exception? last = null;
        var held = await ForAsync(
            async () =>
            {
                try
                {
                    if (await condition())
                    {
                        return true;
                    }
                }
                catch (Exception e)
                {
                    last = e;
                }

                return giveUp?.Invoke() is { } reason
                    ? throw new InvalidOperationException($"{reason} while waiting for {what}{(detail is null ? "" : "\n" + detail())}", last)
                    : false;
            },
            seconds);
        if (!held)
        {
            var error = last is null ? "" : $"; the last look failed: {last.GetType().Name}: {last.Message}";
            throw new TimeoutException($"timed out after {seconds}s waiting for {what}{error}{(detail is null ? "" : "\n" + detail())}", last);
        }
    }

    /// <summary>Polls until the condition holds or the time is up, and says which: for a caller that goes on either way.</summary>
    public static Task<bool> ForAsync(Func<bool> condition, int seconds) => ForAsync(() => Task.FromResult(condition()), seconds);

    private static async Task<bool> ForAsync(Func<Task<bool>> condition, int seconds)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(seconds))
            {
                return false;
            }

            await Task.Delay(Interval, TimeProvider.System);
        }

        return true;
    }
}
