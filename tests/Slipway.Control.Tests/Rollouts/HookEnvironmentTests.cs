using Slipway.Control.Runtime;

namespace Slipway.Control.Tests.Rollouts;

/// <summary>
/// Hooks run as the revision they are about: the service's run.env and run.secrets (a migration needs the database
/// password), the app's shared URLs; secret values never reach an event. <c>hooks.rollback</c> runs once traffic is
/// back, and its failure is reported without holding the switch back.
/// </summary>
public sealed class HookEnvironmentTests
{
    private const string Run = "{ command: \"true\", env: { MODE: \"v${VERSION}\", LISTEN: \"127.0.0.1:${PORT}\" }, secrets: [DB_PASSWORD] }";
    private static readonly Dictionary<string, string> Secrets = new() { ["DB_PASSWORD"] = "s3cret-pw" };

    [Fact]
    public async Task Deploy_BeforeHook_GetsTheServicesEnvSecretsAndSharedUrls()
    {
        await using var f = new RolloutFixture(
            "{ strategy: rolling, hooks: { before: \"sh -c 'echo \\\"$DB_PASSWORD|$MODE|${LISTEN-unset}|$SLIPWAY_DB_URL|$SLIPWAY_VERSION\\\" > hook-env'\" } }",
            run: Run, secrets: Secrets);
        f.Host.SharedEnvironment = new Dictionary<string, string> { ["SLIPWAY_DB_URL"] = "postgresql://127.0.0.1:15432" };

        await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the rollout to end");

        Assert.Equal(RevisionOutcome.Promoted, f.Controller.Status("api")!.Outcome);
        // LISTEN uses ${PORT}, which only an instance has: left out of the hook rather than half filled.
        Assert.Equal("s3cret-pw|v2|unset|postgresql://127.0.0.1:15432|2", File.ReadAllText(Path.Combine(f.Directory, "hook-env")).Trim());
    }

    [Fact]
    public async Task Deploy_BeforeHookPrintsTheSecretAndFails_EventAndStatusRedactIt()
    {
        await using var f = new RolloutFixture(
            "{ strategy: rolling, hooks: { before: \"sh -c 'echo \\\"cannot log in with $DB_PASSWORD\\\" >&2; exit 4'\" } }",
            run: Run, secrets: Secrets);

        await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the hook to fail");

        var status = f.Controller.Status("api")!;
        Assert.Equal(RevisionOutcome.Failed, status.Outcome);
        Assert.Contains("exited with code 4: cannot log in with [secret DB_PASSWORD]", status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(f.Events, e => e.Message.Contains("s3cret-pw", StringComparison.Ordinal));
        Assert.DoesNotContain(f.Store.Events(), e => e.Message.Contains("s3cret-pw", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_HookOfAServiceWhoseSecretIsNotSet_FailsBeforeRunningIt()
    {
        await using var f = new RolloutFixture("{ strategy: rolling, hooks: { before: \"sh -c 'touch ran'\" } }", run: Run);

        await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the hook to fail");

        Assert.Contains("it needs secret DB_PASSWORD (run.secrets of api), which is not set", f.Controller.Status("api")!.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(f.Directory, "ran")));
        Assert.Empty(f.Host.Started);
    }

    [Fact]
    public async Task Deploy_RolledBackByAnalysis_RollbackHookRunsAfterTrafficIsBackAsTheUndoneVersion()
    {
        await using var f = new RolloutFixture(
            "{ strategy: canary, steps: [ {weight: 20, pause: 1m} ], analysis: { interval: 5s, minRequests: 10, failureLimit: 2 }, "
            + "hooks: { before: \"true\", rollback: \"sh -c 'echo \\\"$SLIPWAY_VERSION>$SLIPWAY_ROLLBACK_TO_VERSION $DB_PASSWORD\\\" > down'\" } }",
            run: Run, secrets: Secrets);

        await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the rollback", traffic: () => f.Serve(50, canaryFailRate: 0.5));

        Assert.Equal(RevisionOutcome.RolledBack, f.Controller.Status("api")!.Outcome);
        Assert.Equal("2>1 s3cret-pw", File.ReadAllText(Path.Combine(f.Directory, "down")).Trim());
        var kinds = f.Events.Select(e => e.Kind).ToList();
        Assert.True(kinds.IndexOf("rollout-rolled-back") < kinds.IndexOf("hook-passed"), string.Join(", ", kinds));
        Assert.Equal(("1", null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
    }

    [Fact]
    public async Task Deploy_RollbackHookFails_ReportedAndTrafficStaysBackOnStable()
    {
        await using var f = new RolloutFixture(
            "{ strategy: canary, steps: [ {weight: 20, pause: 1m} ], analysis: { interval: 5s, minRequests: 10, failureLimit: 2 }, "
            + "hooks: { rollback: \"sh -c 'echo down migration broke >&2; exit 9'\" } }");

        await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the rollback", traffic: () => f.Serve(50, canaryFailRate: 0.5));

        var status = f.Controller.Status("api")!;
        Assert.Equal(RevisionOutcome.RolledBack, status.Outcome);
        Assert.Contains("rollback hook failed: `sh -c echo down migration broke >&2; exit 9` exited with code 9: down migration broke", status.Message, StringComparison.Ordinal);
        Assert.Contains("traffic stays on revision 1", Assert.Single(f.Of("hook-failed")).Message, StringComparison.Ordinal);
        Assert.Equal(("1", null), (f.Host.Switches[^1].Current, f.Host.Switches[^1].Weights));
        Assert.Equal(0, f.Host.Desired("2"));
    }

    [Fact]
    public async Task Deploy_BeforeHookFailed_RollbackHookDoesNotRun()
    {
        await using var f = new RolloutFixture("{ strategy: rolling, hooks: { before: \"false\", rollback: \"touch down\" } }");

        await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the hook to fail");

        Assert.Equal(RevisionOutcome.Failed, f.Controller.Status("api")!.Outcome);
        Assert.False(File.Exists(Path.Combine(f.Directory, "down")));
        Assert.Empty(f.Of("hook-passed"));
    }

    [Fact]
    public async Task Rollback_ToTheWarmBlueGreenSet_RunsTheRollbackHookOfTheUndoneVersion()
    {
        await using var f = new RolloutFixture("{ strategy: blue-green, scaleDownDelay: 10m, hooks: { rollback: \"sh -c 'echo $SLIPWAY_VERSION $SLIPWAY_ROLLBACK_TO_REVISION > down'\" } }");
        await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Phase == RolloutPhase.Warm, "the promotion");

        var back = await f.Controller.RollbackAsync("api", null, "tester");

        Assert.Equal(RevisionOutcome.RolledBack, back.Outcome);
        Assert.Equal("2 1", File.ReadAllText(Path.Combine(f.Directory, "down")).Trim());
        Assert.Single(f.Of("hook-passed"));
    }

    [Fact]
    public async Task Deploy_StatefulNeverReady_NewStoppedBeforeStableStartsAgainNeverTwoAtOnce()
    {
        await using var f = new RolloutFixture("{ progressDeadline: 30s }", replicas: 1, serviceYaml: "stateful: true");
        f.Host.NeverReady.Add("2");

        await f.DeployAsync("2");
        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the deadline", step: TimeSpan.FromSeconds(1));

        Assert.Equal(RevisionOutcome.Failed, f.Controller.Status("api")!.Outcome);
        Assert.Equal(1, f.Host.MaxTotal);
        Assert.Equal(1, f.Host.Desired("1"));
        Assert.Equal(0, f.Host.Desired("2"));
    }
}
