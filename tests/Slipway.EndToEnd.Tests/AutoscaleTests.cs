using Slipway.Testing;
using Xunit.Abstractions;

namespace Slipway.EndToEnd.Tests;

/// <summary>The autoscaler in a real daemon: the demo app under load on 127.0.0.1 scales out and back in.</summary>
public sealed class AutoscaleTests
{
    private readonly ITestOutputHelper _output;

    public AutoscaleTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Up_LoadAboveTheTargetThenGone_ScalesOutThenBackInWithNoFailedRequest()
    {
        // A target of 1 request per second per instance: any steady load is far above it. A 1s interval and a 5s
        // scale-down window stand in for the defaults (15s, 5m).
        await using var daemon = new RolloutDaemon("{ strategy: rolling }",
            autoscale: "{ min: 2, max: 4, rpsPerInstance: 1, interval: 1s, scaleDown: { stabilization: 5s } }");
        await daemon.StartAsync();

        var load = new LoadGenerator(daemon.Proxy, posts: false, workersPerKind: 1);
        await using (load)
        {
            // Out to max: in one step, or in two when the first look's rate window still reaches back before the load.
            await daemon.UntilAsync(() => daemon.Events().Any(e => e.Kind == "autoscaled" && e.Message.Contains("→ 4: rps ", StringComparison.Ordinal)), "a scale out to 4");
            Assert.StartsWith("2 → ", daemon.Events().First(e => e.Kind == "autoscaled").Message, StringComparison.Ordinal);
            await daemon.UntilAsync(() => daemon.Events().Count(e => e.Kind == "ready") >= 4, "four ready instances");
            // Status shows the autoscaler's last look, which may still predate the last instance's readiness.
            var status = "";
            await Wait.UntilAsync(async () => (status = (await daemon.CliAsync("status")).Output).Contains("api: autoscale 2–4, 4 replicas: rps ", StringComparison.Ordinal),
                "status showing the autoscaler at 4", seconds: 30, detail: () => status);
        }

        _output.WriteLine(load.Report());
        Assert.True(load.Failures == 0, $"{load.Report()}\ndaemon events:\n{daemon.Troubles()}");

        // No load: after the window, back to min; the instances drain first, so nothing in flight fails.
        await daemon.UntilAsync(() => daemon.Events().Any(e => e.Kind == "autoscaled" && e.Message.Contains("→ 2: all targets below: rps ", StringComparison.Ordinal)), "a scale in to 2");
        var after = "";
        await Wait.UntilAsync(async () => (after = (await daemon.CliAsync("status")).Output).Contains("api: autoscale 2–4, 2 replicas", StringComparison.Ordinal),
            "status showing the autoscaler at 2", seconds: 60, detail: () => after);
        _output.WriteLine(string.Join("\n", daemon.Events().Where(e => e.Kind.StartsWith("autoscale", StringComparison.Ordinal)).Select(e => $"{e.Time:HH:mm:ss.fff} {e.Kind} {e.Message}")));
    }

    [Fact]
    public async Task Scale_AutoscaledService_RefusedNamingTheBounds()
    {
        await using var daemon = new RolloutDaemon("{ strategy: rolling }", autoscale: "{ min: 2, max: 4, rpsPerInstance: 50 }");
        await daemon.StartAsync();

        var (exit, output) = await daemon.CliAsync("scale", "api", "3");

        Assert.NotEqual(0, exit);
        Assert.Contains("api is autoscaled between autoscale.min 2 and autoscale.max 4", output, StringComparison.Ordinal);
    }
}
