namespace Slipway.DemoApp;

/// <summary>
/// No listener: a small unit of work and a log line every DEMO_WORK_INTERVAL.
/// DEMO_FAIL_RATE makes that fraction of units log an error instead.
/// </summary>
internal static class WorkerMode
{
    public static async Task RunAsync(DemoSettings settings, AppState state, JsonLog log, CancellationToken stop)
    {
        log.Info("working", ("intervalMs", settings.WorkInterval));
        using var timer = new PeriodicTimer(settings.WorkInterval, state.Uptime.Clock);
        var unit = 0L;
        var checksum = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                unit++;
                for (var i = 0; i < 100_000; i++)
                {
                    checksum = unchecked((checksum * 31) + i);
                }

                if (settings.FailRate > 0 && Random.Shared.NextDouble() < settings.FailRate)
                {
                    log.Error("work failed", ("unit", unit), ("reason", "injected failure"));
                }
                else
                {
                    log.Info("work", ("unit", unit), ("checksum", checksum));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
