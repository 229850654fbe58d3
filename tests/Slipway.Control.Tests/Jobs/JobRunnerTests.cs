using Slipway.Control.Runtime;
using Slipway.Core.Processes;
using Slipway.Testing;

namespace Slipway.Control.Tests.Jobs;

/// <summary>Job runs with real processes: history, environment, concurrency, timeouts, and what a daemon leaves behind.</summary>
public sealed class JobRunnerTests
{
    [Fact]
    public async Task Start_FailingRun_HistoryHasExitCodeOutputTailAndAFailedEvent()
    {
        await using var f = new JobFixture("jobs:\n  report:\n    run: \"sh -c 'echo hello; echo world >&2; exit 3'\"\n");

        var run = await f.RunAsync("report");

        Assert.Equal(JobOutcome.Failed, run.Outcome);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("hello\nworld", run.LogTail);
        Assert.StartsWith("exit code 3 after ", run.Message, StringComparison.Ordinal);
        Assert.EndsWith(": world", run.Message, StringComparison.Ordinal);
        Assert.Equal(JobTrigger.Manual, run.Trigger);
        Assert.Equal("tester", run.By);
        var stored = Assert.Single(f.Store.JobRuns("report"));
        Assert.Equal((JobOutcome.Failed, 3, "hello\nworld"), (stored.Outcome, stored.ExitCode, stored.LogTail));
        Assert.NotNull(stored.Ended);
        Assert.Contains("run 1 failed: exit code 3", Assert.Single(f.Of("job-failed")).Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(f.Runner.States()).LastFailed);
    }

    [Fact]
    public async Task Start_JobOfAService_GetsItsVersionEnvAndSecretsWithItsOwn_TailRedacted()
    {
        await using var f = new JobFixture("""
            services:
              api:
                run: { command: "true", env: { MODE: "api-${VERSION}", WHERE: "${PORT}" }, secrets: [DB_PASSWORD] }
            jobs:
              nightly:
                service: api
                run: "sh -c 'echo \"$SEEN $MODE ${WHERE-none} $DB_PASSWORD $TOKEN $SLIPWAY_JOB $SLIPWAY_JOB_RUN $SLIPWAY_CACHE_URL\"'"
                env: { SEEN: "v${VERSION}" }
                secrets: [TOKEN]
            """,
            secrets: new Dictionary<string, string> { ["DB_PASSWORD"] = "db-pass-123", ["TOKEN"] = "tok-456" },
            shared: new Dictionary<string, string> { ["SLIPWAY_CACHE_URL"] = "redis://127.0.0.1:6390" });

        var run = await f.RunAsync("nightly");

        Assert.Equal(JobOutcome.Succeeded, run.Outcome);
        Assert.Equal("v7 api-7 none [secret DB_PASSWORD] [secret TOKEN] nightly 1 redis://127.0.0.1:6390", run.LogTail);
        Assert.DoesNotContain(f.Events, e => e.Message.Contains("db-pass-123", StringComparison.Ordinal));
        Assert.Contains("run 1 succeeded", Assert.Single(f.Of("job-succeeded")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SecretNotSet_StartFailedWithoutRunningAnything()
    {
        await using var f = new JobFixture("jobs:\n  x:\n    run: \"touch ran\"\n    secrets: [TOKEN]\n");

        var run = await f.RunAsync("x");

        Assert.Equal(JobOutcome.StartFailed, run.Outcome);
        Assert.Equal("it needs secret TOKEN, which is not set; set it with `slipway secrets set TOKEN`", run.Message);
        Assert.False(File.Exists(Path.Combine(f.Directory, "ran")));
        Assert.True(Assert.Single(f.Runner.States()).LastFailed);
    }

    [Fact]
    public async Task Start_CommandGoneSinceValidation_StartFailedNamingIt()
    {
        await using var f = new JobFixture("jobs:\n  x:\n    run: \"./tool-${JOB}\"\n");

        var run = await f.RunAsync("x");

        Assert.Equal(JobOutcome.StartFailed, run.Outcome);
        Assert.Contains("command ./tool-x does not exist", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Forbid_SecondRunRefusedAndAScheduledOneSkipped()
    {
        await using var f = new JobFixture("jobs:\n  long:\n    run: \"sleep 30\"\n    gracePeriod: 1s\n");
        var first = f.Runner.Start("long", JobTrigger.Manual, "tester").Run!;

        var manual = f.Runner.Start("long", JobTrigger.Manual, "tester");
        var scheduled = f.Runner.Start("long", JobTrigger.Schedule, null);

        Assert.Null(manual.Run);
        Assert.StartsWith("job long is still running (run 1 since ", manual.Refusal, StringComparison.Ordinal);
        Assert.EndsWith("and its concurrency is forbid", manual.Refusal, StringComparison.Ordinal);
        Assert.Null(scheduled.Run);
        Assert.StartsWith("scheduled run skipped: job long is still running", Assert.Single(f.Of("job-skipped")).Message, StringComparison.Ordinal);
        Assert.Single(f.Runner.Running());
        Assert.Equal(first.Id, f.Runner.Running()[0].Id);
    }

    [Fact]
    public async Task Start_Replace_RunningOneCancelledThenTheNewOneRuns()
    {
        await using var f = new JobFixture("jobs:\n  sync:\n    run: \"sh -c 'echo $SLIPWAY_JOB_RUN > started-$SLIPWAY_JOB_RUN; sleep 30'\"\n    concurrency: replace\n    gracePeriod: 2s\n");
        var first = f.Runner.Start("sync", JobTrigger.Manual, "tester").Run!;
        await Wait.UntilAsync(() => File.Exists(Path.Combine(f.Directory, "started-1")), "the first run to start");

        var second = f.Runner.Start("sync", JobTrigger.Manual, "tester").Run!;
        var ended = await f.EndAsync(first.Id);

        Assert.Equal(JobOutcome.Cancelled, ended.Outcome);
        Assert.Equal("stopped with SIGTERM: replaced by run 2 (concurrency: replace)", ended.Message);
        await Wait.UntilAsync(() => File.Exists(Path.Combine(f.Directory, "started-2")), "the second run to start");
        Assert.Equal(second.Id, Assert.Single(f.Runner.Running()).Id);
    }

    [Fact]
    public async Task Start_Allow_BothRun()
    {
        await using var f = new JobFixture("jobs:\n  fan:\n    run: \"sleep 30\"\n    concurrency: allow\n    gracePeriod: 1s\n");

        Assert.NotNull(f.Runner.Start("fan", JobTrigger.Manual, "a").Run);
        Assert.NotNull(f.Runner.Start("fan", JobTrigger.Manual, "b").Run);

        Assert.Equal(2, f.Runner.Running().Count);
        Assert.Equal(2, Assert.Single(f.Runner.States()).Running);
    }

    [Fact]
    public async Task Start_RunOutlivesItsTimeout_StoppedAndRecordedTimedOut()
    {
        await using var f = new JobFixture("jobs:\n  slow:\n    run: \"sh -c 'echo begun; sleep 30'\"\n    timeout: 1s\n    gracePeriod: 2s\n");

        var run = await f.RunAsync("slow");

        Assert.Equal(JobOutcome.TimedOut, run.Outcome);
        Assert.Equal("did not finish within its timeout (1s); stopped with SIGTERM: begun", run.Message);
        Assert.Null(run.ExitCode);
        Assert.Contains("run 1 timed-out", Assert.Single(f.Of("job-failed")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_RunGoing_CancelledAndRecordedNotLeftRunning()
    {
        await using var f = new JobFixture("jobs:\n  long:\n    run: \"sleep 30\"\n    gracePeriod: 1s\n");
        var run = f.Runner.Start("long", JobTrigger.Manual, "tester").Run!;

        await f.Runner.StopAsync();

        var stored = f.Store.JobRun(run.Id)!;
        Assert.Equal(JobOutcome.Cancelled, stored.Outcome);
        Assert.Equal("stopped with SIGTERM: the daemon stopped", stored.Message);
        Assert.Equal("the daemon is stopping", f.Runner.Start("long", JobTrigger.Manual, "tester").Refusal);
    }

    [Fact]
    public async Task StartAsync_RunLeftByADeadDaemon_ItsProcessStoppedAndRecordedInterrupted()
    {
        await using var f = new JobFixture("jobs:\n  long:\n    run: \"sleep 30\"\n    gracePeriod: 1s\n");
        var leftover = new ProcessRunner(TimeProvider.System).Start(new ProcessSpec("sleep", ["60"], ProcessSpec.BaseEnvironment(), f.Directory));
        var record = f.Store.StartJobRun("long", JobTrigger.Schedule, null, DateTimeOffset.UnixEpoch);
        f.Store.SetJobRunProcess(record.Id, leftover.Pid, leftover.StartTime, Path.Combine(f.Directory, "none.log"));

        await f.Runner.StartAsync();

        Assert.True(leftover.HasExited || !leftover.GroupAlive());
        var stored = f.Store.JobRun(record.Id)!;
        Assert.Equal(JobOutcome.Interrupted, stored.Outcome);
        Assert.Contains($"this daemon stopped what was left of it (pid {leftover.Pid})", stored.Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(f.Runner.States()).LastFailed);
    }
}
