using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.DemoApp.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task FailRate_One_AppAnswers500ButProbesStay200()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string>
        {
            ["DEMO_FAIL_RATE"] = "1.0",
            ["DEMO_VERSION"] = "3",
        });

        for (var i = 0; i < 10; i++)
        {
            using var response = await app.Http.GetAsync("/");
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("3", Assert.Single(response.Headers.GetValues("X-Demo-Version")));
        }

        using var health = await app.Http.GetAsync("/health");
        using var ready = await app.Http.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task FailRate_Zero_EveryRequestAnswers200()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_FAIL_RATE"] = "0" });

        for (var i = 0; i < 20; i++)
        {
            using var response = await app.Http.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task LogErrors_RequestAnswered500_LogsAnErrorLine()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string>
        {
            ["DEMO_FAIL_RATE"] = "100%",
            ["DEMO_LOG_ERRORS"] = "true",
        });

        using var response = await app.Http.GetAsync("/orders");

        var line = await app.WaitForLogAsync(l => l.GetProperty("level").GetString() == "error", "an error line");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("/orders", line.GetProperty("path").GetString());
        Assert.Equal(500, line.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Latency_Set_AppRequestsTakeAtLeastThatLong()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string>
        {
            ["DEMO_LATENCY_MS"] = "300",
            ["DEMO_LATENCY_JITTER_MS"] = "50",
        });
        var started = Stopwatch.GetTimestamp();

        using var response = await app.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task ReadyAfter_Duration_ReadyAnswers503ThenOk()
    {
        // Long enough that the app is listening well before it: start-up takes a fraction of this.
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_READY_AFTER"] = "5s" });

        using var early = await app.Http.GetAsync("/ready");
        using var health = await app.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        await Wait.UntilAsync(async () => await StatusAsync(app, "/ready") == HttpStatusCode.OK, "/ready to answer 200", seconds: 15);
    }

    [Fact]
    public async Task UnhealthyAfter_Duration_HealthTurns503()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_UNHEALTHY_AFTER"] = "1500ms" });

        await Wait.UntilAsync(async () => await StatusAsync(app, "/health") == HttpStatusCode.ServiceUnavailable, "/health to answer 503", seconds: 15);
        using var root = await app.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
    }

    [Fact]
    public async Task CrashAfter_Duration_ExitsWithCode1()
    {
        await using var app = DemoAppProcess.Start(new Dictionary<string, string> { ["DEMO_CRASH_AFTER"] = "700ms" });

        var exitCode = await app.WaitForExitAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains(app.Logs(), l => l.GetProperty("msg").GetString() == "crashing on purpose");
    }

    [Fact]
    public async Task StartupDelay_Duration_ListensNoEarlier()
    {
        var started = Stopwatch.GetTimestamp();
        await using var app = DemoAppProcess.Start(new Dictionary<string, string> { ["DEMO_STARTUP_DELAY"] = "2s" });

        await app.WaitForLogAsync("starting");
        await Assert.ThrowsAsync<HttpRequestException>(() => app.Http.GetAsync("/health"));
        var listening = await app.WaitForLogAsync("listening");

        Assert.True(listening.GetProperty("startupMs").GetDouble() >= 2000);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(2));
        Assert.Equal("ok\n", await app.Http.GetStringAsync("/health"));
    }

    [Fact]
    public async Task MemoryMb_Set_ResidentMemoryHoldsIt()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_MEMORY_MB"] = "96" });

        var status = await File.ReadAllLinesAsync($"/proc/{app.Pid}/status");
        var rssKb = long.Parse(status.Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

        Assert.True(rssKb >= 96 * 1024, $"VmRSS {rssKb} kB");
    }

    [Fact]
    public async Task Allocate_TwoRequests_HeldMemoryGrowsByEach()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string>());

        Assert.Equal("holding 32 MiB\n", await app.Http.GetStringAsync("/allocate?mb=32"));
        Assert.Equal("holding 48 MiB\n", await app.Http.GetStringAsync("/allocate?mb=16"));
        using var info = JsonDocument.Parse(await app.Http.GetStringAsync("/info"));
        Assert.Equal(48L * 1024 * 1024, info.RootElement.GetProperty("heldBytes").GetInt64());
    }

    [Fact]
    public async Task BurnCores_One_ProcessUsesCpuWithoutBeingAsked()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_BURN_CORES"] = "1" });
        await app.WaitForLogAsync("burning");

        // utime + stime (fields 14 and 15) keep rising with no request sent: a thread spins.
        var first = CpuTicks(app.Pid);
        await Wait.UntilAsync(() => CpuTicks(app.Pid) > first + 20, "20 more clock ticks of CPU time", seconds: 30);
    }

    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task SpawnChild_True_SleepChildRunsAndOutlivesAKilledParent()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_SPAWN_CHILD"] = "true" });
        using var info = JsonDocument.Parse(await app.Http.GetStringAsync("/info"));
        var childPid = info.RootElement.GetProperty("childPid").GetInt32();
        app.KillOnDispose(childPid);

        Assert.EndsWith("sleep\0100000\0", await File.ReadAllTextAsync($"/proc/{childPid}/cmdline"), StringComparison.Ordinal);
        Assert.Contains($"PPid:\t{app.Pid}", await File.ReadAllTextAsync($"/proc/{childPid}/status"));

        // Killing only the parent leaves the child behind: exactly what a supervisor's tree kill must handle.
        app.Kill();
        await app.WaitForExitAsync();
        Assert.True(Directory.Exists($"/proc/{childPid}"));
    }

    private static async Task<HttpStatusCode> StatusAsync(DemoAppProcess app, string path)
    {
        using var response = await app.Http.GetAsync(path);
        return response.StatusCode;
    }
}
