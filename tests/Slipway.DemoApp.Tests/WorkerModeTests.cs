namespace Slipway.DemoApp.Tests;

public sealed class WorkerModeTests
{
    [Fact]
    public async Task WorkerMode_Interval_LogsEachUnitOfWorkAndStopsOnSigterm()
    {
        await using var app = DemoAppProcess.Start(new Dictionary<string, string>
        {
            ["DEMO_MODE"] = "worker",
            ["DEMO_WORK_INTERVAL"] = "100ms",
        });

        await app.WaitForLogAsync(l => l.GetProperty("msg").GetString() == "work" && l.GetProperty("unit").GetInt64() == 3, "work unit 3");
        app.SendSigterm();

        Assert.Equal(0, await app.WaitForExitAsync());
        var units = app.Logs().Where(l => l.GetProperty("msg").GetString() == "work").Select(l => l.GetProperty("unit").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, units.Count).Select(i => (long)i), units);
        Assert.DoesNotContain(app.Logs(), l => l.GetProperty("msg").GetString() == "listening");
    }

    [Fact]
    public async Task WorkerMode_FailRateOne_LogsErrors()
    {
        await using var app = DemoAppProcess.Start(new Dictionary<string, string>
        {
            ["DEMO_MODE"] = "worker",
            ["DEMO_WORK_INTERVAL"] = "50ms",
            ["DEMO_FAIL_RATE"] = "1",
        });

        var line = await app.WaitForLogAsync("work failed");

        Assert.Equal("error", line.GetProperty("level").GetString());
    }
}
