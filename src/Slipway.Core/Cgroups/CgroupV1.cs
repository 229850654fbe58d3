using System.Globalization;

namespace Slipway.Core.Cgroups;

/// <summary>
/// cgroup v1: a hierarchy per controller, each with a directory of the daemon's
/// (<c>/sys/fs/cgroup/memory/…/slipway-shop-1a2b3c4d</c>) holding one directory per instance. CPU is a CFS quota
/// (<c>cpu.cfs_quota_us</c> over a 100 ms <c>cpu.cfs_period_us</c>), memory <c>memory.limit_in_bytes</c> (with
/// <c>memory.memsw.limit_in_bytes</c> set the same where swap is accounted, so the limit is not dodged by swapping);
/// usage comes from <c>cpuacct.usage</c> and <c>memory.usage_in_bytes</c> less inactive file cache; OOM kills from
/// <c>memory.oom_control</c>'s <c>oom_kill</c> counter.
/// </summary>
internal sealed class CgroupV1 : CgroupDriver
{
    public const long PeriodMicroseconds = 100_000;

    private CgroupV1(string? cpu, string? cpuacct, string? memory)
    {
        Cpu = cpu;
        CpuAcct = cpuacct;
        Memory = memory;
    }

    /// <summary>The daemon's directory in the hierarchy with <c>cpu</c>, when it could be created; likewise below.</summary>
    public string? Cpu { get; }

    public string? CpuAcct { get; }

    public string? Memory { get; }

    public override string Flavor => "cgroup v1";

    public override bool LimitsCpu => Cpu is not null;

    public override bool LimitsMemory => Memory is not null;

    public override IReadOnlyList<string> Parents => [.. new[] { Memory, Cpu, CpuAcct }.OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Makes the daemon's directory <paramref name="group"/> in the cpu, cpuacct and memory hierarchies the daemon
    /// runs in. Null, with what stood in the way, when neither cpu nor memory can be limited.
    /// </summary>
    public static CgroupV1? TryCreate(IReadOnlyList<CgroupMount> mounts, IReadOnlyDictionary<string, string> membership, string group, List<string> problems)
    {
        string? Parent(string controller, string knob)
        {
            if (CgroupMounts.V1Directory(mounts, membership, controller) is not { } own)
            {
                problems.Add($"no {controller} hierarchy is mounted where this process can reach it");
                return null;
            }

            var parent = Path.Combine(own, group);
            try
            {
                CgroupFiles.CreateDirectory(parent);
            }
            catch (CgroupException e)
            {
                problems.Add(e.Message);
                return null;
            }

            if (knob.Length > 0 && !File.Exists(Path.Combine(parent, knob)))
            {
                problems.Add($"{parent} has no {knob} (a kernel without that knob)");
                CgroupFiles.TryRemoveDirectory(parent);
                return null;
            }

            return parent;
        }

        var memory = Parent("memory", "memory.limit_in_bytes");
        var cpu = Parent("cpu", "cpu.cfs_quota_us");
        var cpuacct = cpu is not null && File.Exists(Path.Combine(cpu, "cpuacct.usage")) ? cpu : Parent("cpuacct", "cpuacct.usage");
        if (memory is null && cpu is null)
        {
            if (cpuacct is not null)
            {
                CgroupFiles.TryRemoveDirectory(cpuacct);
            }

            return null;
        }

        return new CgroupV1(cpu, cpuacct, memory);
    }

    public override InstanceCgroup Create(string name, CgroupLimits limits)
    {
        var created = new List<string>();
        try
        {
            string? Make(string? parent)
            {
                if (parent is null)
                {
                    return null;
                }

                var directory = Path.Combine(parent, name);
                if (!created.Contains(directory))
                {
                    CgroupFiles.TryRemoveDirectory(directory); // a stale one from a run that ended without cleaning up
                    CgroupFiles.CreateDirectory(directory);
                    created.Add(directory);
                }

                return directory;
            }

            var memory = Make(Memory);
            var cpu = Make(Cpu);
            var cpuacct = Make(CpuAcct);
            if (memory is not null && limits.MemoryBytes is { } bytes)
            {
                var value = bytes.ToString(CultureInfo.InvariantCulture);
                CgroupFiles.Write(memory, "memory.limit_in_bytes", value);
                TryWriteSwapLimit(memory, value);
            }

            if (cpu is not null && limits.CpuCores is { } cores)
            {
                CgroupFiles.Write(cpu, "cpu.cfs_period_us", PeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
                CgroupFiles.Write(cpu, "cpu.cfs_quota_us", Quota(cores).ToString(CultureInfo.InvariantCulture));
            }

            return new Instance(name, limits, memory, cpu, cpuacct);
        }
        catch (CgroupException)
        {
            foreach (var directory in created)
            {
                CgroupFiles.TryRemoveDirectory(directory);
            }

            throw;
        }
    }

    public override InstanceCgroup? Find(int pid)
    {
        var membership = Membership(pid);
        string? Mine(string? parent, string controller) =>
            parent is not null && membership.Where(m => m.Key.Split(',').Contains(controller)).Select(m => m.Value).FirstOrDefault() is { } path
            && Path.GetFileName(path) is { Length: > 0 } leaf && Directory.Exists(Path.Combine(parent, leaf))
            && Path.GetFileName(Path.GetDirectoryName(path)) == Path.GetFileName(parent)
                ? Path.Combine(parent, leaf)
                : null;

        var memory = Mine(Memory, "memory");
        var cpu = Mine(Cpu, "cpu");
        var cpuacct = Mine(CpuAcct, "cpuacct");
        var any = memory ?? cpu;
        if (any is null)
        {
            return null;
        }

        var limit = memory is null ? null : CgroupFiles.ReadNumber(memory, "memory.limit_in_bytes");
        var quota = cpu is null ? null : CgroupFiles.ReadNumber(cpu, "cpu.cfs_quota_us");
        var period = cpu is null ? null : CgroupFiles.ReadNumber(cpu, "cpu.cfs_period_us");
        var limits = new CgroupLimits(
            quota is > 0 && period is > 0 ? (double)quota.Value / period.Value : null,
            limit is > 0 and < long.MaxValue / 2 ? limit : null);
        return new Instance(Path.GetFileName(any), limits, memory, cpu, cpuacct);
    }

    /// <summary>The CFS quota for <paramref name="cores"/>: the kernel's minimum is 1 ms per period.</summary>
    public static long Quota(double cores) => Math.Max(1000, (long)Math.Round(cores * PeriodMicroseconds));

    private static void TryWriteSwapLimit(string memory, string value)
    {
        try
        {
            CgroupFiles.WriteIfPresent(memory, "memory.memsw.limit_in_bytes", value);
        }
        catch (CgroupException)
        {
            // Swap accounting off (the file refuses writes): there is no swap to dodge the limit through.
        }
    }

    private sealed class Instance(string name, CgroupLimits limits, string? memory, string? cpu, string? cpuacct) : InstanceCgroup(name, limits)
    {
        public override IReadOnlyList<string> Directories { get; } = [.. new[] { memory, cpu, cpuacct }.OfType<string>().Distinct(StringComparer.Ordinal)];

        public override string Flavor => "cgroup v1";

        public override CgroupUsage ReadUsage()
        {
            long? working = null;
            long? oomKills = null;
            long? hits = null;
            if (memory is not null && CgroupFiles.ReadNumber(memory, "memory.usage_in_bytes") is { } usage)
            {
                var inactive = CgroupFiles.ReadKey(memory, "memory.stat", "total_inactive_file") ?? CgroupFiles.ReadKey(memory, "memory.stat", "inactive_file") ?? 0;
                working = Math.Max(0, usage - inactive);
                oomKills = CgroupFiles.ReadKey(memory, "memory.oom_control", "oom_kill");
                hits = CgroupFiles.ReadNumber(memory, "memory.failcnt");
            }

            var cpuTime = cpuacct is not null && CgroupFiles.ReadNumber(cpuacct, "cpuacct.usage") is { } nanoseconds
                ? TimeSpan.FromTicks(nanoseconds / 100)
                : (TimeSpan?)null;
            return new CgroupUsage(cpuTime, working, oomKills, hits);
        }
    }
}
