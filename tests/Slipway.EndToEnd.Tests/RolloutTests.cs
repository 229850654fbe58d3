using System.Globalization;
using Xunit.Abstractions;

namespace Slipway.EndToEnd.Tests;

/// <summary>Deploys of the demo app through the real daemon and CLI, under steady load on 127.0.0.1.</summary>
public sealed class RolloutTests
{
    /// <summary>Successive deploys per strategy, alternating versions 2 and 1 (the issue's "done when").</summary>
    private const int Deploys = 10;

    private readonly ITestOutputHelper _output;

    public RolloutTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("{ strategy: rolling, maxSurge: 1, maxUnavailable: 0 }")]
    [InlineData("{ strategy: blue-green, scaleDownDelay: 2s, hooks: { smoke: [\"GET /ready\", \"GET /\"] } }")]
    [InlineData("{ strategy: canary, steps: [ {weight: 50, pause: 4s} ], analysis: { interval: 500ms, minRequests: 20, warmup: 2s } }")]
    public async Task Deploy_SuccessiveVersionsUnderLoad_NoFailedRequestAndNewVersionAnswersAfterPromotion(string deploy)
    {
        await using var daemon = new RolloutDaemon(deploy);
        await daemon.StartAsync();
        var load = new LoadGenerator(daemon.Proxy);
        await using (load)
        {
            foreach (var version in Enumerable.Range(0, Deploys).Select(i => i % 2 == 0 ? "2" : "1"))
            {
                var (exit, output) = await daemon.CliAsync("deploy", "api", "--version", version, "--wait", "--reason", "e2e");
                Assert.True(exit == 0, $"deploy {version} exited {exit}:\n{output}");
                Assert.Contains("promoted", output, StringComparison.Ordinal);
                await AllAnswersFromAsync(daemon.Proxy, version);
            }
        }

        _output.WriteLine($"{deploy}: {load.Report()}");
        var events = daemon.Events();
        _output.WriteLine(string.Join("\n", events.Where(e => e.Kind.StartsWith("rollout-", StringComparison.Ordinal) || e.Kind is "ready" or "stopped").Select(e => $"{e.Time:HH:mm:ss.fff} {e.Kind} {e.Instance} {e.Message}")));
        Assert.True(load.Failures == 0, $"{load.Report()}\ndaemon events:\n{daemon.Troubles()}");
        Assert.True(load.Requests > 100, load.Report());
        if (deploy.Contains("canary", StringComparison.Ordinal))
        {
            // The healthy canary passed the comparison with stable, latency included, not only the fixed limits.
            Assert.Contains(events, e => e.Kind == "rollout-analysis" && e.Message.StartsWith("pass", StringComparison.Ordinal)
                && e.Message.Contains("P(canary slower)", StringComparison.Ordinal));
        }

        var (historyExit, history) = await daemon.CliAsync("history", "api");
        Assert.Equal(0, historyExit);
        Assert.Equal(Deploys, history.Split('\n').Count(l => l.Contains(" promoted ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Deploy_CanaryFailingHalfItsRequests_RolledBackAutomaticallyWithNoFailedGet()
    {
        // 20 % of traffic to a canary failing half its requests: 10 % of all requests need the shield, within the
        // proxy's retry budget (20 % of requests), which bounds shielding so a broken canary cannot double the load on stable.
        await using var daemon = new RolloutDaemon("{ strategy: canary, steps: [ {weight: 20, pause: 60s} ], analysis: { interval: 1s, minRequests: 20, failureLimit: 2 } }");
        await daemon.StartAsync();
        var load = new LoadGenerator(daemon.Proxy, posts: false);
        int exit;
        string output;
        await using (load)
        {
            (exit, output) = await daemon.CliAsync("deploy", "api", "--version", "bad");
            await AllAnswersFromAsync(daemon.Proxy, "1");
        }

        Assert.True(exit == 1, $"deploy bad exited {exit}:\n{output}");
        Assert.Contains("rolled-back", output, StringComparison.Ordinal);
        Assert.Contains("error rate", output, StringComparison.Ordinal);
        var rolledBack = Assert.Single(daemon.Events(), e => e.Kind == "rollout-rolled-back");
        Assert.True(load.FirstSeen.TryGetValue("bad", out var firstCanary), "the canary took traffic");
        _output.WriteLine($"canary shield: {load.Report()}; answers by version: {string.Join(", ", load.Answers.Select(a => $"{a.Key}={a.Value}"))}");
        _output.WriteLine($"seconds from the canary's first request to rollback: {(rolledBack.Time - firstCanary).TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)}");
        _output.WriteLine(daemon.Troubles());
        Assert.True(load.Failures == 0, load.Report());
    }

    [Fact]
    public async Task Deploy_CanaryFailingPaymentsWithEvery200_RolledBackByItsBusinessMetric()
    {
        // The canary answers every request with 200 but counts half its payments as failed; only the metric it serves can tell.
        await using var daemon = new RolloutDaemon(
            """{ strategy: canary, steps: [ {weight: 50, pause: 60s} ], analysis: { interval: 1s, minRequests: 10, failureLimit: 2, metrics: [ { name: failed-payments, expr: 'app_ratio("demo_payments_failed_total", "demo_payments_total")[10s]', max: 0.1 } ] } }""",
            metrics: "{ path: /metrics, interval: 1s }");
        await daemon.StartAsync();
        var load = new LoadGenerator(daemon.Proxy, posts: false);
        int exit;
        string output;
        await using (load)
        {
            (exit, output) = await daemon.CliAsync("deploy", "api", "--version", "payfail", "--wait");
            await AllAnswersFromAsync(daemon.Proxy, "1");
        }

        Assert.True(exit == 1, $"deploy payfail exited {exit}:\n{output}\n{daemon.Troubles()}");
        Assert.Contains("rolled-back", output, StringComparison.Ordinal);
        var rolledBack = Assert.Single(daemon.Events(), e => e.Kind == "rollout-rolled-back");
        Assert.Contains("failed-payments", rolledBack.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("error rate", rolledBack.Message, StringComparison.Ordinal);
        Assert.True(load.FirstSeen.ContainsKey("payfail"), "the canary took traffic");
        Assert.True(load.Failures == 0, load.Report());
        _output.WriteLine($"{rolledBack.Message}; {load.Report()}");
    }

    [Fact]
    public async Task Deploy_VersionNeverReady_FailsAtProgressDeadlineAndTakesNoRequest()
    {
        await using var daemon = new RolloutDaemon("{ strategy: rolling, progressDeadline: 4s }");
        await daemon.StartAsync();
        var load = new LoadGenerator(daemon.Proxy);
        int exit;
        string output;
        await using (load)
        {
            (exit, output) = await daemon.CliAsync("deploy", "api", "--version", "never");
            await AllAnswersFromAsync(daemon.Proxy, "1");
        }

        Assert.True(exit == 1, $"deploy never exited {exit}:\n{output}");
        Assert.Contains("progress deadline (4s)", output, StringComparison.Ordinal);
        Assert.False(load.Answers.ContainsKey("never"), "the never-ready version answered a request");
        Assert.True(load.Failures == 0, load.Report());
        Assert.Single(daemon.Events(), e => e.Kind == "rollout-failed");
    }

    [Fact]
    public async Task Deploy_BeforeHookFails_NothingStartedOrSwitched()
    {
        await using var daemon = new RolloutDaemon("{ strategy: blue-green, hooks: { before: \"sh -c 'case ${VERSION} in nohook*) echo migration refused >&2; exit 1;; esac'\" } }");
        await daemon.StartAsync();
        var load = new LoadGenerator(daemon.Proxy);
        int exit;
        string output;
        await using (load)
        {
            (exit, output) = await daemon.CliAsync("deploy", "api", "--version", "nohook", "--wait");
            await AllAnswersFromAsync(daemon.Proxy, "1");
        }

        Assert.True(exit == 1, $"deploy nohook exited {exit}:\n{output}");
        Assert.Contains("before hook failed, nothing was switched", output, StringComparison.Ordinal);
        Assert.Contains("migration refused", output, StringComparison.Ordinal);
        Assert.DoesNotContain(daemon.Events(), e => e.Instance?.StartsWith("api-2-", StringComparison.Ordinal) == true);
        Assert.Equal(["1"], load.Answers.Keys);
        Assert.True(load.Failures == 0, load.Report());
    }

    [Fact]
    public async Task Up_DaemonKilledMidCanary_RestartAbortsToStableAndStopsTheCanary()
    {
        await using var daemon = new RolloutDaemon("{ strategy: canary, steps: [ {weight: 50, pause: until-promoted} ] }");
        await daemon.StartAsync();
        var (exit, output) = await daemon.CliAsync("deploy", "api", "--version", "2", "--detach");
        Assert.True(exit == 0, output);
        await daemon.UntilAsync(() => daemon.Events().Any(e => e.Kind == "rollout-step"), "the canary step");

        daemon.Daemon.Signal(Native.SigKill);
        await daemon.Daemon.WaitForExitAsync();
        await daemon.StartAsync();
        await daemon.UntilAsync(() => daemon.Events().Any(e => e.Kind == "rollout-aborted") && daemon.Events().Count(e => e.Kind == "stopped" && e.Instance == "api-2-0") == 1,
            "the canary to be aborted and stopped");

        Assert.Contains(daemon.Events(), e => e.Kind == "adopted" && e.Instance == "api-2-0");
        await AllAnswersFromAsync(daemon.Proxy, "1");
        var (statusExit, status) = await daemon.CliAsync("history", "api");
        Assert.Equal(0, statusExit);
        Assert.Contains(" aborted ", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_BlueGreenWithPreviewHost_HostReachesTheNewRevisionUntilPromotedThen404()
    {
        await using var daemon = new RolloutDaemon("{ strategy: blue-green, autoPromote: false, scaleDownDelay: 0s, previewHost: preview.e2e.test, hooks: { smoke: [\"GET /ready\"] } }");
        await daemon.StartAsync();
        using var client = new HttpClient { BaseAddress = daemon.Proxy, Timeout = TimeSpan.FromSeconds(10) };
        var before = await PreviewAsync(client);

        var (exit, output) = await daemon.CliAsync("deploy", "api", "--version", "2", "--detach");
        Assert.True(exit == 0, output);
        await daemon.UntilAsync(() => daemon.Events().Any(e => e.Kind == "rollout-step" && e.Message.Contains("or on host preview.e2e.test", StringComparison.Ordinal)),
            "the new revision to wait for promotion");
        var during = new List<(int, string)>();
        for (var i = 0; i < 10; i++)
        {
            during.Add(await PreviewAsync(client));
        }

        await AllAnswersFromAsync(daemon.Proxy, "1");
        (exit, output) = await daemon.CliAsync("promote", "api");
        Assert.True(exit == 0, output);
        await daemon.UntilAsync(() => daemon.Events().Any(e => e.Kind == "rollout-promoted"), "the promotion");
        await AllAnswersFromAsync(daemon.Proxy, "2");
        var after = await PreviewAsync(client);

        Assert.Equal((404, "none"), before);
        Assert.All(during, answer => Assert.Equal((200, "2"), answer));
        Assert.Equal((404, "none"), after);
    }

    /// <summary>A GET on the preview host: its status and the version that answered (none when the proxy did).</summary>
    private static async Task<(int Status, string Version)> PreviewAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Host = "preview.e2e.test";
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, response.Headers.TryGetValues("X-Demo-Version", out var values) ? values.Single() : "none");
    }

    /// <summary>Fresh requests after a rollout ended: every one answered by <paramref name="version"/>.</summary>
    private static async Task AllAnswersFromAsync(Uri proxy, string version)
    {
        using var client = new HttpClient { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 30; i++)
        {
            using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(version, response.Headers.GetValues("X-Demo-Version").Single());
        }
    }
}
