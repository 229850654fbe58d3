using Slipway.Control.Runtime;

namespace Slipway.Control.Tests.Rollouts.Strategies;

/// <summary>A canary that no analysis judged at its last step is held at its weight, never promoted by the steps running out.</summary>
public sealed class CanaryStrategyTests
{
    private const string Quiet = "{ strategy: canary, steps: [ {weight: 25, pause: 10s}, {weight: 50, pause: 10s} ], analysis: { interval: 1s, minRequests: 20, failureLimit: 2 }, progressDeadline: 2m }";

    [Fact]
    public async Task Deploy_EveryWindowInconclusive_HeldAtTheLastWeightNotPromoted()
    {
        await using var f = new RolloutFixture(Quiet);
        var started = await HeldAsync(f);

        // Well past both pauses: still held, still analysing, never switched to the new revision.
        for (var i = 0; i < 30; i++)
        {
            await f.StepAsync(TimeSpan.FromSeconds(1));
        }

        var status = f.Controller.Status("api")!;
        Assert.Equal((RolloutPhase.AwaitingVerdict, null), (status.Phase, status.Outcome));
        Assert.Equal("held at 50% until an analysis passes: not judged yet: 7 of 20 requests", status.Message);
        Assert.Equal(50, f.Host.Switches[^1].Weights![started]);
        Assert.DoesNotContain(f.Host.Switches, s => s.Current == started);
        Assert.Empty(f.Of("rollout-promoted"));
        Assert.Contains(f.Of("rollout-step"), e => e.Message.StartsWith("step 2/2 over; held at 50% until an analysis passes: not judged yet: 7 of 20 requests", StringComparison.Ordinal));
        Assert.True(f.Of("rollout-analysis").Count() > 30, "analysis keeps running during the hold");
        Assert.All(f.Of("rollout-analysis"), e => Assert.StartsWith("inconclusive", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_HeldThenAnAnalysisPasses_Promoted()
    {
        await using var f = new RolloutFixture(Quiet);
        var started = await HeldAsync(f);

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "promotion", traffic: () => f.Serve(40, 0));

        Assert.Equal(RevisionOutcome.Promoted, f.Controller.Status("api")!.Outcome);
        Assert.Equal((started, null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
        Assert.Contains(f.Of("rollout-step"), e => e.Message.StartsWith("analysis passed", StringComparison.Ordinal));
        Assert.StartsWith("pass", f.Of("rollout-analysis").Last().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_WhileHeld_PromotedByTheOperatorAndSaidSo()
    {
        await using var f = new RolloutFixture(Quiet);
        var started = await HeldAsync(f);

        f.Controller.Promote("api");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "promotion");

        Assert.Equal(RevisionOutcome.Promoted, f.Controller.Status("api")!.Outcome);
        Assert.Equal((started, null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
        Assert.Contains(f.Of("rollout-step"), e => e.Message.StartsWith(
            "`slipway promote` ends the hold: revision 2 promoted with no analysis passed since step 2 began (not judged yet: 7 of 20 requests)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_HeldPastTheProgressDeadline_FailsBackToStable()
    {
        await using var f = new RolloutFixture(Quiet);
        var started = await HeldAsync(f);

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the deadline", step: TimeSpan.FromSeconds(1));

        var status = f.Controller.Status("api")!;
        Assert.Equal(RevisionOutcome.Failed, status.Outcome);
        Assert.StartsWith("revision 2 was not judged within the progress deadline (2m): not judged yet: 7 of 20 requests", status.Message, StringComparison.Ordinal);
        Assert.Equal(("1", null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
        Assert.Contains(started, f.Host.Stopped);
        Assert.Empty(f.Of("rollout-promoted"));
    }

    [Fact]
    public async Task Pause_WhileHeld_NeitherPromotedByAPassNorFailedByTheDeadlineUntilResumed()
    {
        await using var f = new RolloutFixture(Quiet);
        var started = await HeldAsync(f);
        f.Controller.Pause("api");
        await f.StepAsync(TimeSpan.FromSeconds(1));
        Assert.StartsWith("held at 50% until an analysis passes: not judged yet", f.Controller.Status("api")!.Message, StringComparison.Ordinal);

        // Paused by hand for longer than the 2m deadline, with traffic that passes: the operator's pause holds, and stops the deadline's clock.
        for (var i = 0; i < 60; i++)
        {
            f.Serve(40, 0);
            await f.StepAsync(TimeSpan.FromSeconds(5));
        }

        var paused = f.Controller.Status("api")!;
        Assert.Equal((RolloutPhase.Paused, null), (paused.Phase, paused.Outcome));
        Assert.Contains(f.Of("rollout-analysis"), e => e.Message.StartsWith("pass", StringComparison.Ordinal));
        Assert.DoesNotContain(f.Host.Switches, s => s.Current == started);

        f.Controller.Resume("api");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "promotion after resume", step: TimeSpan.FromSeconds(1));
        Assert.Equal(RevisionOutcome.Promoted, f.Controller.Status("api")!.Outcome);
    }

    [Fact]
    public async Task Deploy_OnlyAnEarlierStepPassed_HeldForAVerdictOfTheLastStep()
    {
        await using var f = new RolloutFixture(Quiet);
        var started = await f.DeployAsync("2");

        // Plenty of traffic in the first 5 s at 25 %, none after: the pass of the first step does not carry over.
        DateTimeOffset? split = null;
        await f.DriveAsync(() => f.Controller.Status("api")?.Phase == RolloutPhase.AwaitingVerdict || f.Controller.Status("api")?.Outcome is not null,
            "the hold", traffic: () =>
            {
                split ??= f.Host.Switches.Any(s => s.Weights is not null) ? f.Time.GetUtcNow() : null;
                if (split is { } at && f.Time.GetUtcNow() - at < TimeSpan.FromSeconds(5))
                {
                    f.Serve(40, 0);
                }
            });

        var status = f.Controller.Status("api")!;
        Assert.Equal((RolloutPhase.AwaitingVerdict, null), (status.Phase, status.Outcome));
        Assert.Contains(f.Of("rollout-analysis"), e => e.Message.StartsWith("pass", StringComparison.Ordinal));
        Assert.StartsWith("held at 50% until an analysis passes: not judged yet", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_LastVerdictOfTheStepFailedUnderTheLimit_HeldUntilOnePasses()
    {
        await using var f = new RolloutFixture("{ strategy: canary, steps: [ {weight: 50, pause: 10s} ], analysis: { interval: 1s, minRequests: 20, failureLimit: 3 }, progressDeadline: 2m }");
        var started = await f.DeployAsync("2");

        // Half the requests fail for the first second of the split, then no traffic: a failure short of failureLimit is the step's last word.
        DateTimeOffset? split = null;
        await f.DriveAsync(() => f.Controller.Status("api")?.Phase == RolloutPhase.AwaitingVerdict || f.Controller.Status("api")?.Outcome is not null,
            "the hold", traffic: () =>
            {
                split ??= f.Host.Switches.Any(s => s.Weights is not null) ? f.Time.GetUtcNow() : null;
                if (split is { } at && f.Time.GetUtcNow() - at < TimeSpan.FromSeconds(1))
                {
                    f.Serve(40, 0.5);
                }
            });

        var held = f.Controller.Status("api")!;
        Assert.Equal((RolloutPhase.AwaitingVerdict, null), (held.Phase, held.Outcome));
        Assert.Contains("until an analysis passes: the last analysis failed (", held.Message, StringComparison.Ordinal);
        Assert.Contains(" in a row; 3 roll back): error rate 50%", held.Message, StringComparison.Ordinal);

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "promotion", traffic: () => f.Serve(40, 0));

        Assert.Equal(RevisionOutcome.Promoted, f.Controller.Status("api")!.Outcome);
        Assert.Equal((started.Revision, null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
    }

    /// <summary>Deploys version 2 and drives it past both pauses with 7 canary requests in all: too few for any verdict.</summary>
    private static async Task<string> HeldAsync(RolloutFixture f)
    {
        var started = await f.DeployAsync("2");
        var sent = 0;
        await f.DriveAsync(() => f.Controller.Status("api")?.Phase == RolloutPhase.AwaitingVerdict || f.Controller.Status("api")?.Outcome is not null,
            "the hold", step: TimeSpan.FromSeconds(1), traffic: () =>
            {
                f.Record("1", 30, 0);
                if (f.Host.Switches.Any(s => s.Weights is not null) && sent < 7)
                {
                    f.Record(started.Revision, 1, 0);
                    sent++;
                }
            });
        Assert.Equal(RolloutPhase.AwaitingVerdict, f.Controller.Status("api")!.Phase);
        return started.Revision;
    }
}
