using Slipway.Control.Analysis;
using Slipway.Control.Rollouts;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Control.Telemetry;

namespace Slipway.Control.Tests.Rollouts;

public sealed class RolloutControllerTests
{
    private const string Canary = "{ strategy: canary, steps: [ {weight: 25, pause: 30s}, {weight: 50, pause: 30s} ], analysis: { interval: 5s, minRequests: 20, failureLimit: 2 }, progressDeadline: 10s }";

    [Fact]
    public async Task Deploy_CanaryHealthy_StepsThroughWeightsThenPromotesAndStopsStable()
    {
        await using var f = new RolloutFixture(Canary);
        var started = await f.DeployAsync("2");

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "promotion", traffic: () => f.Serve(40, 0));

        var status = f.Controller.Status("api")!;
        Assert.Equal(RevisionOutcome.Promoted, status.Outcome);
        var splits = f.Host.Switches.Where(s => s.Weights is not null).Select(s => s.Weights![started.Revision]).Distinct().ToList();
        Assert.Equal([25, 50], splits);
        Assert.Equal((started.Revision, null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
        Assert.Equal(4, f.Host.Desired(started.Revision));
        Assert.Contains("1", f.Host.Stopped);
        Assert.Equal(2, f.Of("rollout-step").Count());
        Assert.NotEmpty(f.Of("rollout-analysis"));
        Assert.Single(f.Of("rollout-promoted"));
        Assert.Equal(RevisionOutcome.Promoted, f.Store.Revision("api", started.Revision)!.Outcome);
        Assert.Empty(f.Store.Rollouts());
    }

    [Fact]
    public async Task Deploy_CanaryFailingAnalysis_RolledBackInOneSwapAndNewStopped()
    {
        await using var f = new RolloutFixture(Canary);
        var started = await f.DeployAsync("2");

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "rollback", traffic: () => f.Serve(80, 0.5));

        var status = f.Controller.Status("api")!;
        Assert.Equal(RevisionOutcome.RolledBack, status.Outcome);
        Assert.Contains("analysis failed 2 times in a row", status.Message, StringComparison.Ordinal);
        Assert.Contains("error rate", status.Message, StringComparison.Ordinal);
        Assert.Equal(("1", null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
        Assert.All(f.Host.Switches.Where(s => s.Weights is not null), s => Assert.Equal(25, s.Weights![started.Revision]));
        Assert.Contains(started.Revision, f.Host.Stopped);
        Assert.Equal(AnalysisVerdict.Fail, status.LastAnalysis!.Verdict);
        Assert.Single(f.Of("rollout-rolled-back"));
        Assert.Equal(RevisionOutcome.RolledBack, f.Store.Revision("api", started.Revision)!.Outcome);
    }

    [Fact]
    public async Task Deploy_NeverReady_FailsAtProgressDeadlineWithNoTraffic()
    {
        await using var f = new RolloutFixture(Canary);
        f.Host.NeverReady.Add("2");
        var started = await f.DeployAsync("2");

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the deadline");

        var status = f.Controller.Status("api")!;
        Assert.Equal(RevisionOutcome.Failed, status.Outcome);
        Assert.Contains("progress deadline (10s)", status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(f.Host.Switches, s => s.Weights?.GetValueOrDefault(started.Revision) > 0 || s.Current == started.Revision);
        Assert.Contains(started.Revision, f.Host.Stopped);
        Assert.Single(f.Of("rollout-failed"));
    }

    [Fact]
    public async Task Deploy_CrashLoopingNewInstances_RolledBack()
    {
        await using var f = new RolloutFixture(Canary);
        f.Host.CrashLooping.Add("2");
        await f.DeployAsync("2");

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "rollback");

        Assert.Equal(RevisionOutcome.RolledBack, f.Controller.Status("api")!.Outcome);
        Assert.Contains("crash-looping", f.Controller.Status("api")!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_BeforeHookFails_NothingStartedNothingSwitched()
    {
        await using var f = new RolloutFixture("{ strategy: rolling, hooks: { before: \"sh -c 'echo migration broke >&2; exit 3'\" } }");
        await f.DeployAsync("2");

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the hook to fail");

        var status = f.Controller.Status("api")!;
        Assert.Equal(RevisionOutcome.Failed, status.Outcome);
        Assert.Contains("exited with code 3: migration broke", status.Message, StringComparison.Ordinal);
        Assert.Empty(f.Host.Started);
        Assert.All(f.Host.Switches, s => Assert.Equal(("1", null), (s.Current, s.Weights)));
        Assert.Equal(4, f.Host.Desired("1"));
    }

    [Fact]
    public async Task Deploy_WhileOneRuns_RefusedUnlessForcedWhichAbortsTheFirst()
    {
        await using var f = new RolloutFixture("{ strategy: canary, steps: [ {weight: 10, pause: until-promoted} ] }");
        var first = await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Phase == RolloutPhase.Canary, "the first canary step");

        var refused = await Assert.ThrowsAsync<RolloutRefusedException>(() => f.DeployAsync("3"));
        Assert.Equal(RefusalKind.Conflict, refused.Kind);
        Assert.Contains("already running (revision 2, version 2", refused.Message, StringComparison.Ordinal);

        var second = await f.DeployAsync("3", force: true);

        Assert.Equal(RevisionOutcome.Aborted, f.Store.Revision("api", first.Revision)!.Outcome);
        Assert.Contains(first.Revision, f.Host.Stopped);
        Assert.Contains("replaced by a forced deploy of version 3", Assert.Single(f.Of("rollout-aborted")).Message, StringComparison.Ordinal);
        Assert.Equal("3", second.Version);
    }

    [Fact]
    public async Task Deploy_OutsideWindow_RefusedNamingNextWindowUnlessForced()
    {
        await using var f = new RolloutFixture("{ strategy: rolling, windows: [\"Sun 02:00-04:00 UTC\"] }", start: new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

        var refused = await Assert.ThrowsAsync<RolloutRefusedException>(() => f.DeployAsync("2"));
        Assert.Contains("the next window is Sun 02:00-04:00 UTC, opening 2026-11-29 02:00 UTC", refused.Message, StringComparison.Ordinal);

        var forced = await f.DeployAsync("2", force: true);
        Assert.Contains("forced: outside the deploy windows", f.Store.Revision("api", forced.Revision)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_Rolling_KeepsCapacityAndSurgeBoundsThenPromotes()
    {
        await using var f = new RolloutFixture("{ strategy: rolling, maxSurge: 1, maxUnavailable: 0 }");
        var started = await f.DeployAsync("2");

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "promotion");

        Assert.Equal(RevisionOutcome.Promoted, f.Controller.Status("api")!.Outcome);
        Assert.Equal(5, f.Host.MaxTotal);
        Assert.Equal(4, f.Host.MinReady);
        Assert.Equal(4, f.Host.Desired(started.Revision));
        Assert.Equal(0, f.Host.Desired("1"));
        Assert.Equal(4, f.Of("rollout-step").Count());
        Assert.Equal((started.Revision, null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
    }

    [Fact]
    public async Task Deploy_RollingNewInstancesFailingWhileBothServe_RolledBackByAnalysis()
    {
        await using var f = new RolloutFixture("{ strategy: rolling, maxSurge: 1, maxUnavailable: 0, minReady: 30s, analysis: { interval: 2s, minRequests: 20 } }");
        var started = await f.DeployAsync("2");

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "rollback", traffic: () => f.Serve(80, 0.5));

        var status = f.Controller.Status("api")!;
        Assert.Equal(RevisionOutcome.RolledBack, status.Outcome);
        Assert.Contains("analysis failed 2 times in a row", status.Message, StringComparison.Ordinal);
        Assert.Equal(("1", null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
        Assert.Equal(4, f.Host.Desired("1"));
        Assert.Contains(started.Revision, f.Host.Stopped);
    }

    [Fact]
    public async Task Rollback_BlueGreenWhileWarm_InstantSwitchBackThenOldStopsAfterDelayOtherwise()
    {
        await using var f = new RolloutFixture("{ strategy: blue-green, autoPromote: false, scaleDownDelay: 1m }");
        var started = await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Phase == RolloutPhase.WaitingPromotion, "the new set to be ready");
        Assert.All(f.Host.Switches, s => Assert.Equal("1", s.Current));

        f.Controller.Promote("api");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome == RevisionOutcome.Promoted, "promotion");
        Assert.Equal(4, f.Host.Desired("1"));

        var rolledBack = await f.Controller.RollbackAsync("api", null, "tester");

        Assert.Equal(RevisionOutcome.RolledBack, rolledBack.Outcome);
        Assert.Equal(("1", null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
        Assert.Contains(started.Revision, f.Host.Stopped);
        Assert.Equal(4, f.Host.Desired("1"));
        Assert.Contains("warm revision 1", Assert.Single(f.Of("rollout-rolled-back")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_BlueGreen_OldSetStoppedAfterScaleDownDelay()
    {
        await using var f = new RolloutFixture("{ strategy: blue-green, scaleDownDelay: 1m }");
        await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome == RevisionOutcome.Promoted, "promotion");
        Assert.Equal(4, f.Host.Desired("1"));
        Assert.Single(f.Store.Rollouts());

        Assert.Equal(RolloutPhase.Warm, f.Controller.Status("api")!.Phase);

        await f.DriveAsync(() => f.Host.Desired("1") == 0, "the warm set to scale down", step: TimeSpan.FromSeconds(5));

        Assert.Empty(f.Store.Rollouts());
        Assert.Equal((RolloutPhase.Promoted, RevisionOutcome.Promoted), (f.Controller.Status("api")!.Phase, f.Controller.Status("api")!.Outcome));
    }

    [Fact]
    public async Task Pause_Canary_HoldsTheStepUntilResumed()
    {
        await using var f = new RolloutFixture("{ strategy: canary, steps: [ {weight: 25, pause: 10s}, {weight: 50, pause: 10s} ] }");
        await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Step == 1, "step 1");

        f.Controller.Pause("api");
        for (var i = 0; i < 20; i++)
        {
            await f.StepAsync(TimeSpan.FromSeconds(5));
        }

        Assert.Equal((1, true), (f.Controller.Status("api")!.Step, f.Controller.Status("api")!.Paused));
        f.Controller.Resume("api");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "promotion after resume", step: TimeSpan.FromSeconds(1), traffic: () => f.Serve(40, 0));
        Assert.Equal(RevisionOutcome.Promoted, f.Controller.Status("api")!.Outcome);
    }

    [Fact]
    public async Task Abort_Canary_TrafficBackOnStableAndRecorded()
    {
        await using var f = new RolloutFixture("{ strategy: canary, steps: [ {weight: 25, pause: until-promoted} ] }");
        var started = await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Step == 1, "step 1");

        var aborted = await f.Controller.AbortAsync("api", "tester");

        Assert.Equal(RevisionOutcome.Aborted, aborted.Outcome);
        Assert.Equal(("1", null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
        Assert.Contains(started.Revision, f.Host.Stopped);
        Assert.Throws<RolloutRefusedException>(() => f.Controller.Promote("api"));
    }

    [Fact]
    public async Task Start_RolloutLeftByPreviousDaemon_AbortedToStable()
    {
        await using var f = new RolloutFixture(Canary);
        var revision = f.Store.CreateRevision("api", "2", null, "tester", null, f.Time.GetUtcNow());
        f.Store.SaveRollout(new RolloutRecord("api", revision.Revision, "2", "1", RolloutStrategy.Canary, RolloutPhase.Canary, 1, false, f.Time.GetUtcNow(), f.Time.GetUtcNow()));
        await f.Host.StartRevisionAsync("api", revision.Revision, "2", 1);

        await f.Controller.StartAsync();

        Assert.Equal(("1", null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
        Assert.Equal(0, f.Host.Desired(revision.Revision));
        Assert.Contains("the daemon restarted during the canary rollout", Assert.Single(f.Of("rollout-aborted")).Message, StringComparison.Ordinal);
        Assert.Equal(RevisionOutcome.Aborted, f.Store.Revision("api", revision.Revision)!.Outcome);
        Assert.Empty(f.Store.Rollouts());
    }

    [Fact]
    public async Task WriteMetrics_CanaryStep_ExposesStepAndWeights()
    {
        await using var f = new RolloutFixture("{ strategy: canary, steps: [ {weight: 25, pause: until-promoted} ] }");
        var source = new RolloutMetricsSource(new LiveManifest(f.Manifest), f.Controller, f.Host);
        var before = new System.Text.StringBuilder();
        source.WriteMetrics(new MetricsWriter(before));
        Assert.Contains("slipway_revision_weight{service=\"api\",revision=\"1\"} 100\n", before.ToString(), StringComparison.Ordinal);

        await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Step == 1, "step 1");
        var text = new System.Text.StringBuilder();
        source.WriteMetrics(new MetricsWriter(text));

        Assert.Contains("slipway_rollout_step{service=\"api\",revision=\"2\"} 1\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("slipway_revision_weight{service=\"api\",revision=\"1\"} 75\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("slipway_revision_weight{service=\"api\",revision=\"2\"} 25\n", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_SmokeCheckCannotReachNewRevision_FailsBeforeAnyUserTraffic()
    {
        await using var f = new RolloutFixture("{ strategy: blue-green, hooks: { smoke: [\"GET /health\"] } }");
        var started = await f.DeployAsync("2");

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the smoke check to fail");

        var status = f.Controller.Status("api")!;
        Assert.Equal(RevisionOutcome.Failed, status.Outcome);
        Assert.Contains("smoke check failed before any user traffic: smoke GET /health: no ready instance of revision 2", status.Message, StringComparison.Ordinal);
        Assert.All(f.Host.Switches, s => Assert.Equal(("1", null), (s.Current, s.Weights)));
        Assert.Contains(started.Revision, f.Host.Stopped);
    }

    [Fact]
    public async Task Analyze_TooFewRequestsPerInterval_WindowGrowsUntilAVerdictThenRollsBack()
    {
        await using var f = new RolloutFixture("{ strategy: canary, steps: [ {weight: 25, pause: 30s} ], analysis: { interval: 1s, minRequests: 20, failureLimit: 2 } }");
        await f.DeployAsync("2");

        // About 10 canary requests a second: no single 1s interval reaches minRequests.
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "a verdict", traffic: () => f.Serve(8, 0.5));

        Assert.Equal(RevisionOutcome.RolledBack, f.Controller.Status("api")!.Outcome);
        Assert.Contains(f.Of("rollout-analysis"), e => e.Message.StartsWith("inconclusive", StringComparison.Ordinal));
        Assert.Equal(2, f.Of("rollout-analysis").Count(e => e.Message.StartsWith("fail", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("8s", true)]
    [InlineData("0s", false)]
    public async Task Analyze_CanarySlowOnlyWhileWarmingUp_PromotedUnlessWarmupIsZero(string warmup, bool promoted)
    {
        await using var f = new RolloutFixture($"{{ strategy: canary, steps: [ {{weight: 50, pause: 20s}} ], analysis: {{ interval: 2s, minRequests: 20, failureLimit: 2, warmup: {warmup} }} }}");
        await f.DeployAsync("2");
        DateTimeOffset? split = null;

        // A healthy version that answers in 60 ms for its first 6 s of traffic (compiling its code), then in 5 ms as stable does.
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "an outcome", traffic: () =>
        {
            split ??= f.Host.Switches.Any(s => s.Weights is not null) ? f.Time.GetUtcNow() : null;
            var cold = split is { } at && f.Time.GetUtcNow() - at < TimeSpan.FromSeconds(6);
            f.Serve(40, 0, cold ? 60 : 5);
        });

        var status = f.Controller.Status("api")!;
        Assert.True(status.Outcome == (promoted ? RevisionOutcome.Promoted : RevisionOutcome.RolledBack), $"{status.Outcome}: {status.Message}");
        if (promoted)
        {
            Assert.Contains(f.Of("rollout-analysis"), e => e.Message.Contains("not judged during the new revision's 8s warm-up", StringComparison.Ordinal));
            Assert.Contains(f.Of("rollout-analysis"), e => e.Message.Contains("P(canary slower)", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains("latency p95", status.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Promote_BlueGreenFailingAfterTheSwitch_InstantRollbackToTheWarmOldSet()
    {
        await using var f = new RolloutFixture("{ strategy: blue-green, scaleDownDelay: 5m, analysis: { interval: 2s, minRequests: 20, failureLimit: 2, warmup: 0s } }");
        var started = await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "promotion");
        Assert.Equal(RevisionOutcome.Promoted, f.Controller.Status("api")!.Outcome);

        // All traffic on the new revision now, half of it failing: the warm old set takes it back.
        await f.DriveAsync(() => f.Of("rollout-rolled-back").Any(), "the rollback to the warm set", traffic: () => f.Record(started.Revision, 40, 0.5));

        var rolledBack = Assert.Single(f.Of("rollout-rolled-back"));
        Assert.Contains("rolled back by analysis after promotion (failed 2 times in a row: error rate 50%", rolledBack.Message, StringComparison.Ordinal);
        Assert.Equal(("1", null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
        Assert.Equal([started.Revision], f.Host.Stopped);
        Assert.Equal(RevisionOutcome.RolledBack, f.Store.Revision("api", started.Revision)!.Outcome);
    }

    [Fact]
    public async Task Promote_BlueGreenHealthyAfterTheSwitch_OldSetStoppedAfterTheDelay()
    {
        await using var f = new RolloutFixture("{ strategy: blue-green, scaleDownDelay: 30s, analysis: { interval: 2s, minRequests: 20 } }");
        var started = await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "promotion");

        await f.DriveAsync(() => f.Host.Stopped.Contains("1"), "the old set to scale down", traffic: () => f.Record(started.Revision, 40, 0));

        Assert.Empty(f.Of("rollout-rolled-back"));
        Assert.Contains(f.Of("rollout-analysis"), e => e.Message.StartsWith("after promotion: pass", StringComparison.Ordinal));
        Assert.Equal(started.Revision, f.Host.Switches[^1].Current);
    }
}
