using Slipway.Core.Cgroups;
using Slipway.Testing;

namespace Slipway.Core.Tests.Cgroups;

/// <summary>
/// cgroup v2's files as the kernel documents them (Documentation/admin-guide/cgroup-v2.rst), on a directory laid out
/// like one: the development and CI machines mount cpu and memory as v1, so a real v2 hierarchy cannot be had here.
/// The files the kernel would create with each directory are created by the test first.
/// </summary>
public sealed class CgroupV2Tests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private string Own => _root.Path;

    private static void Files(string directory, params (string Name, string Text)[] files)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(directory, name), text);
        }
    }

    private CgroupV2 Driver()
    {
        Files(Own, ("cgroup.controllers", "cpuset cpu io memory pids\n"), ("cgroup.subtree_control", ""), ("cgroup.procs", ""));
        Files(Path.Combine(Own, "slipway-t-1"), ("cgroup.subtree_control", ""), ("cgroup.procs", ""));
        var problems = new List<string>();
        var driver = CgroupV2.TryCreate(Own, "slipway-t-1", Environment.ProcessId, problems);
        Assert.True(driver is not null, string.Join("; ", problems));
        return driver;
    }

    [Fact]
    public void TryCreate_DelegatedCgroup_HandsCpuAndMemoryDownTwoLevels()
    {
        var driver = Driver();

        Assert.Equal("+cpu +memory", File.ReadAllText(Path.Combine(Own, "cgroup.subtree_control")));
        Assert.Equal("+cpu +memory", File.ReadAllText(Path.Combine(Own, "slipway-t-1", "cgroup.subtree_control")));
        Assert.True(driver.LimitsCpu);
        Assert.True(driver.LimitsMemory);
    }

    [Fact]
    public void TryCreate_ControllersNotDelegated_UnavailableSayingHowToFixIt()
    {
        Files(Own, ("cgroup.controllers", "pids\n"), ("cgroup.subtree_control", ""));
        var problems = new List<string>();

        Assert.Null(CgroupV2.TryCreate(Own, "slipway-t-1", Environment.ProcessId, problems));
        Assert.Contains("Delegate=yes", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_Limits_CpuMaxQuotaAndPeriodMemoryMaxNoSwapWholeGroupOom()
    {
        var driver = Driver();
        var leaf = Path.Combine(Own, "slipway-t-1", "api-1-0");
        Files(leaf, ("cpu.max", "max 100000\n"), ("memory.max", "max\n"), ("memory.swap.max", "max\n"), ("memory.oom.group", "0\n"), ("cgroup.procs", ""));

        var cgroup = driver.Create("api-1-0", new CgroupLimits(0.5, 256L * 1024 * 1024));

        Assert.Equal("50000 100000", File.ReadAllText(Path.Combine(leaf, "cpu.max")));
        Assert.Equal("268435456", File.ReadAllText(Path.Combine(leaf, "memory.max")));
        Assert.Equal("0", File.ReadAllText(Path.Combine(leaf, "memory.swap.max")));
        Assert.Equal("1", File.ReadAllText(Path.Combine(leaf, "memory.oom.group")));
        Assert.Equal([leaf], cgroup.Directories);
    }

    [Fact]
    public void Create_TinyCpu_QuotaAtTheKernelsOneMillisecondMinimum()
    {
        var driver = Driver();
        var leaf = Path.Combine(Own, "slipway-t-1", "w-1-0");
        Files(leaf, ("cpu.max", "max 100000\n"), ("cgroup.procs", ""));

        driver.Create("w-1-0", new CgroupLimits(0.001, null));

        Assert.Equal("1000 100000", File.ReadAllText(Path.Combine(leaf, "cpu.max")));
    }

    [Fact]
    public void Create_KnobMissing_NamesTheFile()
    {
        var driver = Driver();
        Files(Path.Combine(Own, "slipway-t-1", "api-1-0"), ("cgroup.procs", ""));

        var e = Assert.Throws<CgroupException>(() => driver.Create("api-1-0", new CgroupLimits(null, 1024 * 1024)));

        Assert.Contains("memory.max", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadUsage_KernelFiles_CpuMicrosecondsWorkingSetAndOomKills()
    {
        var driver = Driver();
        var leaf = Path.Combine(Own, "slipway-t-1", "api-1-0");
        Files(leaf, ("memory.max", "max\n"), ("cgroup.procs", ""));
        var cgroup = driver.Create("api-1-0", CgroupLimits.None);
        Files(leaf,
            ("cpu.stat", "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\nnr_periods 10\n"),
            ("memory.current", "104857600\n"),
            ("memory.stat", "anon 80000000\nfile 24857600\nactive_file 4857600\ninactive_file 20000000\n"),
            ("memory.events", "low 0\nhigh 0\nmax 7\noom 2\noom_kill 2\noom_group_kill 1\n"));

        var usage = cgroup.ReadUsage();

        Assert.Equal(TimeSpan.FromSeconds(2.5), usage.Cpu);
        Assert.Equal(104857600 - 20000000, usage.MemoryBytes);
        Assert.Equal(2, usage.OomKills);
        Assert.Equal(7, usage.LimitHits);
    }

    [Fact]
    public void ReadUsage_CgroupGone_NothingRatherThanAnError()
    {
        var driver = Driver();
        Files(Path.Combine(Own, "slipway-t-1", "gone-1-0"), ("cgroup.procs", ""));
        var cgroup = driver.Create("gone-1-0", CgroupLimits.None);
        Directory.Delete(Path.Combine(Own, "slipway-t-1", "gone-1-0"), recursive: true);

        Assert.Equal(new CgroupUsage(null, null, null, null), cgroup.ReadUsage());
    }
}
