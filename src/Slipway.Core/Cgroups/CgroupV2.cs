using System.Globalization;

namespace Slipway.Core.Cgroups;

/// <summary>
/// cgroup v2 (the unified hierarchy of systemd machines): the daemon's directory
/// (<c>/sys/fs/cgroup/…/slipway-shop-1a2b3c4d</c>) passes the cpu and memory controllers to one directory per
/// instance, limited by <c>cpu.max</c> (quota and period) and <c>memory.max</c>, with <c>memory.swap.max</c> 0 and
/// <c>memory.oom.group</c> 1 (an OOM kill takes the whole instance, as Kubernetes does). Usage comes from
/// <c>cpu.stat</c> and <c>memory.current</c> less inactive file cache; OOM kills from <c>memory.events</c>.
/// </summary>
/// <remarks>
/// A cgroup that hands controllers to children may hold no process itself ("no internal processes"). The
/// cgroup the daemon runs in therefore gets the daemon moved one level down, into <c>slipway-daemon</c>, when it is
/// the only process there (a systemd service with <c>Delegate=yes</c>); when others share it, it is left alone and
/// <c>up</c> says why limits are not enforced.
/// </remarks>
internal sealed class CgroupV2 : CgroupDriver
{
    public const long PeriodMicroseconds = 100_000;

    private static readonly string[] Wanted = ["cpu", "memory"];

    private CgroupV2(string parent, bool cpu, bool memory)
    {
        Parent = parent;
        LimitsCpu = cpu;
        LimitsMemory = memory;
    }

    public string Parent { get; }

    public override string Flavor => "cgroup v2";

    public override bool LimitsCpu { get; }

    public override bool LimitsMemory { get; }

    public override IReadOnlyList<string> Parents => [Parent];

    /// <summary>
    /// Makes <paramref name="group"/> under <paramref name="own"/> (the directory of the cgroup this process runs in)
    /// with cpu and memory for its children. Null, with what stood in the way, when neither can be had.
    /// </summary>
    public static CgroupV2? TryCreate(string own, string group, int selfPid, List<string> problems)
    {
        var available = Words(CgroupFiles.Read(own, "cgroup.controllers"));
        var wanted = Wanted.Where(available.Contains).ToList();
        if (wanted.Count == 0)
        {
            problems.Add($"the cgroup this process runs in ({own}) was not given the cpu or memory controller (run slipway as a systemd service with Delegate=yes, or give its cgroup those controllers)");
            return null;
        }

        try
        {
            if (!EnableForChildren(own, wanted))
            {
                // Not allowed while the cgroup holds processes of its own: move the daemon a level down when it is alone there.
                var others = CgroupFiles.Processes(own).Where(p => p != selfPid).ToList();
                if (others.Count > 0)
                {
                    problems.Add($"{own} also holds other processes (pids {string.Join(", ", others.Take(5))}), so it cannot hand cpu and memory to child cgroups (cgroup v2 allows no processes beside them); start slipway in a cgroup of its own, e.g. a systemd service with Delegate=yes");
                    return null;
                }

                var leaf = Path.Combine(own, "slipway-daemon");
                CgroupFiles.CreateDirectory(leaf);
                CgroupFiles.Write(leaf, "cgroup.procs", selfPid.ToString(CultureInfo.InvariantCulture));
                if (!EnableForChildren(own, wanted))
                {
                    problems.Add($"{own} refused to hand {string.Join(" and ", wanted)} to its child cgroups");
                    return null;
                }
            }

            var parent = Path.Combine(own, group);
            CgroupFiles.CreateDirectory(parent);
            if (!EnableForChildren(parent, wanted))
            {
                problems.Add($"{parent} refused to hand {string.Join(" and ", wanted)} to its child cgroups");
                CgroupFiles.TryRemoveDirectory(parent);
                return null;
            }

            return new CgroupV2(parent, wanted.Contains("cpu"), wanted.Contains("memory"));
        }
        catch (CgroupException e)
        {
            problems.Add(e.Message);
            return null;
        }
    }

    public override InstanceCgroup Create(string name, CgroupLimits limits)
    {
        var directory = Path.Combine(Parent, name);
        CgroupFiles.TryRemoveDirectory(directory); // a stale one from a run that ended without cleaning up
        CgroupFiles.CreateDirectory(directory);
        try
        {
            if (LimitsMemory && limits.MemoryBytes is { } bytes)
            {
                CgroupFiles.Write(directory, "memory.max", bytes.ToString(CultureInfo.InvariantCulture));
                CgroupFiles.WriteIfPresent(directory, "memory.swap.max", "0");
                CgroupFiles.WriteIfPresent(directory, "memory.oom.group", "1");
            }

            if (LimitsCpu && limits.CpuCores is { } cores)
            {
                CgroupFiles.Write(directory, "cpu.max", $"{CgroupV1.Quota(cores).ToString(CultureInfo.InvariantCulture)} {PeriodMicroseconds.ToString(CultureInfo.InvariantCulture)}");
            }

            return new Instance(name, limits, directory);
        }
        catch (CgroupException)
        {
            CgroupFiles.TryRemoveDirectory(directory);
            throw;
        }
    }

    public override InstanceCgroup? Find(int pid)
    {
        if (!Membership(pid).TryGetValue("", out var path) || Path.GetFileName(Path.GetDirectoryName(path)) != Path.GetFileName(Parent))
        {
            return null;
        }

        var directory = Path.Combine(Parent, Path.GetFileName(path));
        if (!Directory.Exists(directory))
        {
            return null;
        }

        var max = (CgroupFiles.Read(directory, "cpu.max") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double? cores = max.Length == 2 && long.TryParse(max[0], NumberStyles.None, CultureInfo.InvariantCulture, out var quota)
            && long.TryParse(max[1], NumberStyles.None, CultureInfo.InvariantCulture, out var period) && period > 0
                ? (double)quota / period
                : null;
        return new Instance(Path.GetFileName(directory), new CgroupLimits(cores, CgroupFiles.ReadNumber(directory, "memory.max")), directory);
    }

    /// <summary>Adds the controllers to <c>cgroup.subtree_control</c>; false when the kernel refuses (processes in the cgroup).</summary>
    private static bool EnableForChildren(string directory, List<string> controllers)
    {
        var enabled = Words(CgroupFiles.Read(directory, "cgroup.subtree_control"));
        var missing = controllers.Where(c => !enabled.Contains(c)).ToList();
        if (missing.Count == 0)
        {
            return true;
        }

        try
        {
            CgroupFiles.Write(directory, "cgroup.subtree_control", string.Join(' ', missing.Select(c => "+" + c)));
            return true;
        }
        catch (CgroupException)
        {
            return false;
        }
    }

    private static HashSet<string> Words(string? text) => [.. (text ?? "").Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)];

    private sealed class Instance(string name, CgroupLimits limits, string directory) : InstanceCgroup(name, limits)
    {
        public override IReadOnlyList<string> Directories { get; } = [directory];

        public override string Flavor => "cgroup v2";

        public override CgroupUsage ReadUsage()
        {
            var current = CgroupFiles.ReadNumber(directory, "memory.current");
            var inactive = CgroupFiles.ReadKey(directory, "memory.stat", "inactive_file") ?? 0;
            var usage = CgroupFiles.ReadKey(directory, "cpu.stat", "usage_usec");
            return new CgroupUsage(
                usage is { } microseconds ? TimeSpan.FromMicroseconds(microseconds) : null,
                current is { } bytes ? Math.Max(0, bytes - inactive) : null,
                CgroupFiles.ReadKey(directory, "memory.events", "oom_kill"),
                CgroupFiles.ReadKey(directory, "memory.events", "max"));
        }

        /// <summary><c>cgroup.kill</c> (Linux 5.14) kills every process at once, including ones forking meanwhile.</summary>
        public override void KillAll()
        {
            try
            {
                if (CgroupFiles.WriteIfPresent(directory, "cgroup.kill", "1"))
                {
                    return;
                }
            }
            catch (CgroupException)
            {
                // Fall back to signalling each process.
            }

            base.KillAll();
        }
    }
}
