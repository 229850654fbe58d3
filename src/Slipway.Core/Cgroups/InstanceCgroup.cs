using Slipway.Core.Processes;

namespace Slipway.Core.Cgroups;

/// <summary>
/// One instance's cgroup: a directory per hierarchy (one under cgroup v2; cpu, cpuacct and memory under v1, where
/// they are often mounted apart). Its processes are the instance's whole tree, whatever process group or session a
/// child moved to, so stopping it leaves nothing behind.
/// </summary>
internal abstract class InstanceCgroup
{
    protected InstanceCgroup(string name, CgroupLimits limits)
    {
        Name = name;
        Limits = limits;
    }

    /// <summary>The leaf's name under the daemon's cgroup: the instance id.</summary>
    public string Name { get; }

    /// <summary>The limits written when it was created (an adopted cgroup's are read back).</summary>
    public CgroupLimits Limits { get; }

    /// <summary>The directories a process joins (<see cref="ProcessSpec.Cgroups"/>).</summary>
    public abstract IReadOnlyList<string> Directories { get; }

    /// <summary>"cgroup v1" or "cgroup v2", for messages.</summary>
    public abstract string Flavor { get; }

    public abstract CgroupUsage ReadUsage();

    /// <summary>The pids in the cgroup now.</summary>
    public IReadOnlyList<int> Processes() => CgroupFiles.Processes(Directories[0]);

    /// <summary>True when <paramref name="pid"/> runs in every directory of this cgroup (its join worked).</summary>
    public bool Holds(int pid) => Directories.All(d => CgroupFiles.Processes(d).Contains(pid));

    /// <summary>SIGKILL to every process left in the cgroup (strays that left the instance's process group).</summary>
    public virtual void KillAll()
    {
        foreach (var pid in Processes())
        {
            NativeMethods.kill(pid, Signals.Kill);
        }
    }

    /// <summary>Removes the cgroup once it is empty; false while a process remains in it.</summary>
    public bool TryRemove() => Directories.Aggregate(true, (removed, directory) => CgroupFiles.TryRemoveDirectory(directory) && removed);

    public override string ToString() => Directories[0];
}
