using System.Globalization;
using Slipway.Control.Events;
using Slipway.Core.Cgroups;
using Slipway.Core.Processes;
using Slipway.Testing;

namespace Slipway.Control.Tests.Supervision;

/// <summary>
/// <c>resources</c> enforced by a cgroup per instance, on this machine's real hierarchy (cgroup v1 cpu and memory on
/// the development and CI machines): limits written, usage read back, OOM kills reported, nothing left behind.
/// </summary>
public sealed class CgroupLimitsTests
{
    private static string DemoService(string resources, string env = "{}", string health = "{ readiness: { http: /ready, period: 1s, timeout: 1s } }", string restart = "always") => $$"""
        app: t
        services:
          api:
            run:
              command: dotnet
              args: ["{{BuildOutput.DemoApp}}"]
              env: {{env}}
            routes: [ { path: / } ]
            health: {{health}}
            restart: {{restart}}
            stop: { drainTimeout: 1s, gracePeriod: 3s }
            resources: {{resources}}
        """;

    private static string Line(string text, string controller) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.Split(':')[1].Split(',').Contains(controller)).Split(':', 3)[2];

    [Fact]
    public async Task Start_Resources_InstanceRunsInItsOwnCgroupWithThoseLimits()
    {
        var f = new SupervisorFixture(DemoService("{ memory: 200MB, cpu: 0.5 }"), cgroups: SupervisorFixture.Writable);
        string memory;
        try
        {
            await f.Supervisor.StartAsync();
            // Half a core on a busy machine starts .NET slowly: a generous wait, with the events if it runs out.
            await Wait.UntilAsync(() => f.Supervisor.Instances() is [{ Ready: true, Cgroup: not null }], "a ready instance in a cgroup", seconds: 180,
                detail: () => string.Join("\n", f.Events.Select(e => $"{e.Kind}: {e.Message}")));
            var instance = f.Supervisor.Instances()[0];
            var membership = await File.ReadAllTextAsync($"/proc/{instance.Pid}/cgroup");
            var driver = (CgroupV1)f.Cgroups!;
            memory = Path.Combine(driver.Memory!, "api-1-0");

            Assert.EndsWith("/" + Path.GetFileName(driver.Memory) + "/api-1-0", Line(membership, "memory"), StringComparison.Ordinal);
            Assert.EndsWith("/" + Path.GetFileName(driver.Cpu) + "/api-1-0", Line(membership, "cpu"), StringComparison.Ordinal);
            Assert.Equal("209715200", (await File.ReadAllTextAsync(Path.Combine(memory, "memory.limit_in_bytes"))).Trim());
            Assert.Equal("50000", (await File.ReadAllTextAsync(Path.Combine(driver.Cpu!, "api-1-0", "cpu.cfs_quota_us"))).Trim());
            Assert.Equal(0.5, instance.CpuLimit);
            Assert.Equal(209715200, instance.MemoryLimit);
            await Wait.UntilAsync(() => f.Supervisor.Instances()[0] is { CpuSeconds: > 0, ResidentBytes: > 0 }, "CPU and memory read from the cgroup");
        }
        finally
        {
            await f.DisposeAsync();
        }

        Assert.False(Directory.Exists(memory), "the instance's cgroup is removed once it stopped");
        Assert.Empty(f.LeftoverCgroups);
    }

    [Fact]
    public async Task Supervise_MemoryHog_OomKilledByTheKernelAndReported()
    {
        await using var f = new SupervisorFixture(
            // .NET keeps its heap to 75% of a cgroup's limit and would throw OutOfMemoryException first; a heap limit of
            // 1 GiB makes it behave like a native leak, which only the kernel stops.
            DemoService("{ memory: 96MB }", env: "{ DEMO_MEMORY_MB: \"400\", DOTNET_GCHeapHardLimit: \"0x40000000\" }", restart: "{ backoff: 100ms, crashLoopThreshold: 2 }"),
            cgroups: SupervisorFixture.Writable);

        await f.Supervisor.StartAsync();

        await Wait.UntilAsync(() => f.Of(EventKinds.OutOfMemory).Any(), "an oom event", seconds: 60);
        var oom = f.Of(EventKinds.OutOfMemory).First();
        Assert.True(oom.Message.Contains("OOM killer", StringComparison.Ordinal), string.Join("\n", f.Events.Select(e => $"{e.Kind}: {e.Message}")));
        Assert.Contains("96MB", oom.Message, StringComparison.Ordinal);
        await Wait.UntilAsync(() => f.Supervisor.Instances()[0] is { OomKills: > 0, LastProblem: not null } i && i.LastProblem.Contains("OOM killer", StringComparison.Ordinal),
            "the instance's status naming the OOM kill");
        await Wait.UntilAsync(() => f.Of(EventKinds.CrashLooping).Any(), "OOM kills counted as crashes", seconds: 60);
    }

    [Fact]
    public async Task Supervise_CpuBurner_ThrottledToItsQuota()
    {
        // 2% of a core: even on a busy machine a spinning thread wants more than that, so the kernel must throttle it.
        await using var f = new SupervisorFixture(DemoService("{ cpu: 0.02 }", env: "{ DEMO_BURN_CORES: \"1\" }", health: "{}"),
            cgroups: SupervisorFixture.Writable);
        await f.Supervisor.StartAsync();
        await Wait.UntilAsync(() => f.Supervisor.Instances() is [{ Pid: not null, Cgroup: not null }], "a running instance in a cgroup", seconds: 60);
        var cpu = Path.Combine(((CgroupV1)f.Cgroups!).Cpu!, "api-1-0");

        await Wait.UntilAsync(() => Stat(cpu, "nr_throttled") >= 20, "20 periods throttled", seconds: 60);
        var samples = new List<double>();
        await Wait.UntilAsync(() =>
        {
            samples.Add(f.Supervisor.Instances()[0].CpuPercent);
            return samples.Count(s => s > 0) >= 5;
        }, "five CPU samples", seconds: 60);

        // Sampled over 200 ms, each reading may catch a period's worth more or less than the quota, never a core.
        Assert.All(samples, s => Assert.True(s < 20, $"{s:F1}% of a core, where the quota is 2%"));
    }

    [Fact]
    public async Task Stop_ProcessThatLeftItsGroup_KilledWithTheCgroup()
    {
        var f = new SupervisorFixture("""
            app: t
            services:
              w:
                run: { command: sh, args: ["-c", "setsid sleep 300 & exec sleep 300"] }
                stop: { gracePeriod: 1s }
            """, cgroups: SupervisorFixture.Writable);
        int stray;
        try
        {
            await f.Supervisor.StartAsync();
            await Wait.UntilAsync(() => f.Supervisor.Instances() is [{ Pid: not null, Cgroup: not null }], "a running instance in a cgroup", seconds: 30);
            var cgroup = f.Supervisor.Instances()[0].Cgroup!;
            await Wait.UntilAsync(() => File.ReadAllLines(Path.Combine(cgroup, "cgroup.procs")).Length >= 2, "the stray started");
            var leader = f.Supervisor.Instances()[0].Pid!.Value;
            stray = File.ReadAllLines(Path.Combine(cgroup, "cgroup.procs")).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).Single(p => p != leader);
            // It leaves the process group a signal to the group reaches, once the forked shell has run setsid: the
            // stray is in cgroup.procs from its fork, so asserting this at once failed under load (still in the group).
            await Wait.UntilAsync(() => !ProcFs.GroupMembers(leader).Contains(stray), $"pid {stray} to leave the instance's process group");

            await f.Supervisor.StopAsync();

            await Wait.UntilAsync(() => ProcFs.StartTime(stray) is null, $"pid {stray}, which left the process group, to be gone with its instance");
        }
        finally
        {
            await f.DisposeAsync();
        }

        Assert.Empty(f.LeftoverCgroups);
    }

    [Fact]
    public async Task Start_CgroupRefused_InstanceRunsAnywayWatchedAsResidentMemory()
    {
        await using var f = new SupervisorFixture(DemoService("{ memory: 64MB }", env: "{ DEMO_MEMORY_MB: \"200\" }"), cgroups: _ => new RefusingDriver());

        await f.Supervisor.StartAsync();

        await Wait.UntilAsync(() => f.Of(EventKinds.LimitsNotEnforced).Any(), "a limits-not-enforced event", seconds: 30);
        var said = f.Of(EventKinds.LimitsNotEnforced).Single().Message;
        Assert.Contains("memory.limit_in_bytes: permission denied", said, StringComparison.Ordinal);
        Assert.Contains("watched as resident memory", said, StringComparison.Ordinal);
        await Wait.UntilAsync(() => f.Of(EventKinds.OutOfMemory).Any(), "the resident-memory watch restarting it", seconds: 60);
        Assert.Contains("over its limit of 64MB", f.Of(EventKinds.OutOfMemory).First().Message, StringComparison.Ordinal);
        Assert.Single(f.Of(EventKinds.LimitsNotEnforced)); // said once, not at every restart
    }

    [Fact]
    public async Task Start_KernelRefusesTheJoin_InstanceRunsWithoutItsCgroupSaidOnce()
    {
        await using var f = new SupervisorFixture(DemoService("{ memory: 200MB }"), cgroups: _ => new UnjoinableDriver());

        await f.Supervisor.StartAsync();

        await Wait.UntilAsync(() => f.Supervisor.Instances() is [{ Ready: true, Cgroup: null }], "a ready instance that runs without its cgroup", seconds: 60,
            detail: () => string.Join("\n", f.Events.Select(e => $"{e.Kind}: {e.Message}")));
        var said = Assert.Single(f.Of(EventKinds.LimitsNotEnforced)).Message;
        Assert.Contains("could not join its cgroup /nonexistent/slipway-unjoinable/api-1-0; running without it", said, StringComparison.Ordinal);
        Assert.Contains("watched as resident memory", said, StringComparison.Ordinal);
    }

    private static long Stat(string directory, string key) =>
        CgroupFiles.ReadKey(directory, "cpu.stat", key) ?? 0;

    /// <summary>A hierarchy that takes the limits but whose cgroups no process can join (gone under the shell).</summary>
    private sealed class UnjoinableDriver : CgroupDriver
    {
        public override string Flavor => "cgroup v1";

        public override bool LimitsCpu => true;

        public override bool LimitsMemory => true;

        public override IReadOnlyList<string> Parents => [];

        public override InstanceCgroup Create(string name, CgroupLimits limits) => new Unjoinable(name, limits);

        public override InstanceCgroup? Find(int pid) => null;

        private sealed class Unjoinable(string name, CgroupLimits limits) : InstanceCgroup(name, limits)
        {
            public override IReadOnlyList<string> Directories => ["/nonexistent/slipway-unjoinable/" + Name];

            public override string Flavor => "cgroup v1";

            public override CgroupUsage ReadUsage() => default;
        }
    }

    /// <summary>A hierarchy whose every cgroup refuses its limit, as a locked-down or full one would.</summary>
    private sealed class RefusingDriver : CgroupDriver
    {
        public override string Flavor => "cgroup v1";

        public override bool LimitsCpu => true;

        public override bool LimitsMemory => true;

        public override IReadOnlyList<string> Parents => [];

        public override InstanceCgroup Create(string name, CgroupLimits limits) =>
            throw new CgroupException($"cannot write \"{limits.MemoryBytes}\" to /sys/fs/cgroup/memory/x/{name}/memory.limit_in_bytes: permission denied");

        public override InstanceCgroup? Find(int pid) => null;
    }
}
