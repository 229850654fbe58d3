using System.Net;

namespace Slipway.DemoApp.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Sigterm_Idle_ExitsZeroAndLogsStop()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();

        app.SendSigterm();
        var exitCode = await app.WaitForExitAsync();

        Assert.Equal(0, exitCode);
        var messages = app.Logs().Select(l => l.GetProperty("msg").GetString()).ToList();
        Assert.Equal(["starting", "listening", "stopping", "stopped"], messages);
    }

    [Fact]
    public async Task Sigterm_RequestInFlight_RequestCompletesThenExitZero()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();
        var inFlight = app.Http.GetAsync("/sleep?ms=1500");
        await app.WaitForInFlightAsync(1);

        app.SendSigterm();
        using var response = await inFlight;
        var exitCode = await app.WaitForExitAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("slept 1500 ms\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Sigterm_IgnoreSigterm_KeepsServingUntilSigkill()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_IGNORE_SIGTERM"] = "true" });

        app.SendSigterm();
        await app.WaitForLogAsync("ignoring signal");
        app.SendSigterm();
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.False(app.HasExited);
        Assert.Equal("ok\n", await app.Http.GetStringAsync("/health"));
        app.Kill();
        Assert.Equal(137, await app.WaitForExitAsync());
    }

    [Fact]
    public async Task Sigterm_DuringStartupDelay_ExitsZeroWithoutListening()
    {
        await using var app = DemoAppProcess.Start(new Dictionary<string, string> { ["DEMO_STARTUP_DELAY"] = "1m" });
        await app.WaitForLogAsync("starting");

        app.SendSigterm();

        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.DoesNotContain(app.Logs(), l => l.GetProperty("msg").GetString() == "listening");
    }

    [Fact]
    public async Task Settings_Invalid_ExitCode2ListingEveryProblem()
    {
        await using var app = DemoAppProcess.Start(
            new Dictionary<string, string> { ["DEMO_FAIL_RATE"] = "1.5", ["DEMO_CRASH_AFTER"] = "soon" },
            "--no-such-flag");

        var exitCode = await app.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        var errors = app.Logs().Where(l => l.GetProperty("level").GetString() == "error").Select(l => l.GetProperty("error").GetString()).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e!.Contains("DEMO_FAIL_RATE", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("DEMO_CRASH_AFTER", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("--no-such-flag", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Port_Missing_ExitCode2()
    {
        await using var app = DemoAppProcess.Start(new Dictionary<string, string> { ["PORT"] = "" });

        Assert.Equal(2, await app.WaitForExitAsync());
    }
}
