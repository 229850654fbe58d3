using Slipway.Control.Supervision;
using Slipway.Core.Processes;
using Slipway.Core.Routing;
using Slipway.Testing;

namespace Slipway.Control.Tests.Supervision;

public sealed class SupervisorTests
{
    [Fact]
    public async Task Start_CrashingInstance_RestartedWithGrowingBackoffAndFlaggedCrashLooping()
    {
        await using var f = new SupervisorFixture("""
            app: t
            services:
              crasher:
                run: { command: sh, args: ["-c", "exit 3"] }
                restart: { backoff: 100ms, maxBackoff: 400ms, crashLoopThreshold: 4, crashLoopWindow: 1m }
            """);
        await f.Supervisor.StartAsync();

        await Wait.UntilAsync(() => f.Of("restarting").Count() >= 5, "five restarts");

        var waits = f.Of("restarting").Take(5).Select(e => e.Message[(e.Message.IndexOf(" in ", StringComparison.Ordinal) + 4)..]).ToList();
        Assert.Equal(["100ms", "200ms", "400ms", "400ms", "400ms"], waits);
        var loop = Assert.Single(f.Of("crash-looping"));
        Assert.Equal("crasher-1-0", loop.Instance);
        Assert.Contains("exit code 3", f.Of("exited").First().Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(f.Supervisor.Instances()).CrashLooping);
    }

    [Fact]
    public async Task Start_MissingWorkdir_StartFailedEventNamesCause()
    {
        await using var f = new SupervisorFixture("""
            app: t
            services:
              api:
                run: { command: sleep, args: ["30"], workdir: does-not-exist }
                restart: { backoff: 1m }
            """, beforeLoad: d => Directory.CreateDirectory(d.Combine("does-not-exist")));
        Directory.Delete(f.Directory.Combine("does-not-exist")); // valid when checked, gone when started
        await f.Supervisor.StartAsync();

        await Wait.UntilAsync(() => f.Of("start-failed").Any(), "a start-failed event");

        var e = f.Of("start-failed").First();
        Assert.Equal("api", e.Service);
        Assert.Contains("does-not-exist does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liveness_Failing_InstanceRestarted()
    {
        await using var f = new SupervisorFixture($$"""
            app: t
            services:
              api:
                run:
                  command: dotnet
                  args: ["{{BuildOutput.DemoApp}}"]
                  env: { DEMO_UNHEALTHY_AFTER: "1500ms" }
                health:
                  startup: { http: /ready, period: 500ms, timeout: 500ms, failureThreshold: 60 }
                  liveness: { http: /health, period: 500ms, timeout: 500ms, failureThreshold: 2 }
                restart: { backoff: 100ms }
                stop: { gracePeriod: 5s }
            """);
        await f.Supervisor.StartAsync();

        // Startup probes /ready, which stays 200 when /health turns 503, so only liveness can fail here.
        await Wait.UntilAsync(() => f.Of("liveness-failed").Any() && f.Of("started").Count() >= 2, "a restart after liveness failed", seconds: 40);

        var failed = f.Of("liveness-failed").First();
        Assert.Contains("answered 503", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_Failing_RemovedFromRoutingAndReturnedOnRecovery()
    {
        await using var f = new SupervisorFixture("""
            app: t
            services:
              api:
                run: { command: sleep, args: ["300"] }
                routes: [ { path: / } ]
                health:
                  readiness: { exec: ["test", "-f", "ready-flag"], period: 200ms, timeout: 200ms, failureThreshold: 1 }
            """);
        var flag = f.Directory.Combine("ready-flag");
        await File.WriteAllTextAsync(flag, "");
        await f.Supervisor.StartAsync();
        await Wait.UntilAsync(() => f.Endpoints("api").Count == 1, "the instance to be routed");
        Assert.Equal("api-1-0", f.Endpoints("api")[0].Id);

        File.Delete(flag);
        await Wait.UntilAsync(() => f.Endpoints("api").Count == 0, "the instance to leave routing");
        Assert.Contains(f.Of("not-ready"), e => e.Instance == "api-1-0");
        Assert.StartsWith("readiness probe:", f.Supervisor.Instances()[0].LastProblem, StringComparison.Ordinal);

        await File.WriteAllTextAsync(flag, "");
        await Wait.UntilAsync(() => f.Endpoints("api").Count == 1, "the instance to return to routing");
        Assert.Equal(InstancePhase.Running, f.Supervisor.Instances()[0].Phase);
        Assert.Null(f.Supervisor.Instances()[0].LastProblem); // status shows what is wrong now, not what was
    }

    [Fact]
    public async Task Stop_IgnoresSigtermWithChild_WholeGroupKilledAfterGrace()
    {
        var f = new SupervisorFixture($$"""
            app: t
            services:
              api:
                run:
                  command: dotnet
                  args: ["{{BuildOutput.DemoApp}}"]
                  env: { DEMO_SPAWN_CHILD: "true", DEMO_IGNORE_SIGTERM: "true" }
                routes: [ { path: / } ]
                health:
                  readiness: { http: /ready, period: 200ms, timeout: 200ms }
                stop: { drainTimeout: 1s, gracePeriod: 1s }
            """);
        await using (f)
        {
            await f.Supervisor.StartAsync();
            await Wait.UntilAsync(() => f.Endpoints("api").Count == 1, "the demo app to be ready", seconds: 30);
            var pid = f.Supervisor.Instances()[0].Pid!.Value;
            await Wait.UntilAsync(() => ProcFs.GroupMembers(pid).Count >= 2, "the demo app's child");

            await f.Supervisor.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Empty(ProcFs.GroupMembers(pid));
            Assert.Contains(f.Of("killed"), e => e.Message.Contains("SIGKILL", StringComparison.Ordinal));
            Assert.Empty(f.Endpoints("api"));
        }
    }

    [Fact]
    public async Task Stop_RequestsInFlight_RoutingRemovedFirstThenWaitsForDrain()
    {
        var load = new ControlledEndpointLoad { Count = 1 };
        await using var f = new SupervisorFixture("""
            app: t
            services:
              api:
                run: { command: sleep, args: ["300"] }
                stop: { drainTimeout: 1m, gracePeriod: 5s }
            """, load);
        await f.Supervisor.StartAsync();
        await Wait.UntilAsync(() => f.Endpoints("api").Count == 1, "the instance to be routed");
        var pid = f.Supervisor.Instances()[0].Pid!.Value;

        var stopping = f.Supervisor.StopAsync();
        await Wait.UntilAsync(() => load.Calls >= 5, "the drain to poll in-flight requests");

        Assert.Empty(f.Endpoints("api"));
        Assert.False(stopping.IsCompleted);
        Assert.NotEmpty(ProcFs.GroupMembers(pid));
        Assert.Empty(f.Of("drained"));

        load.Count = 0;
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("no requests in flight", f.Of("drained").Single().Message);
        Assert.Empty(ProcFs.GroupMembers(pid));
    }

    [Fact]
    public async Task Start_MemoryOverLimit_RestartedWithOomEvent()
    {
        await using var f = new SupervisorFixture($$"""
            app: t
            services:
              api:
                run:
                  command: dotnet
                  args: ["{{BuildOutput.DemoApp}}"]
                  env: { DEMO_MEMORY_MB: "150" }
                resources: { memory: 100MB }
                restart: { backoff: 1m }
                stop: { gracePeriod: 5s }
            """);
        await f.Supervisor.StartAsync();

        await Wait.UntilAsync(() => f.Of("oom").Any(), "an oom event", seconds: 30);

        Assert.Contains("over its limit of 100MB", f.Of("oom").First().Message, StringComparison.Ordinal);
    }

    private sealed class ControlledEndpointLoad : IEndpointLoad
    {
        private int _calls;

        public volatile int Count;

        public int Calls => Volatile.Read(ref _calls);

        public int InFlight(string endpointId)
        {
            Interlocked.Increment(ref _calls);
            return Count;
        }
    }
}
