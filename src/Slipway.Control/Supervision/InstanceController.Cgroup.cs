using Slipway.Control.Events;
using Slipway.Core.Cgroups;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Control.Supervision;

/// <summary>
/// Each run of an instance in a cgroup of its own (when the daemon has a <see cref="CgroupDriver"/>): made with the
/// revision's <c>resources</c> before the process starts, read for CPU, memory and OOM kills while it runs, emptied
/// of strays and removed once it has stopped. Without one, or when one cannot be made, the instance runs anyway and
/// its memory limit is watched as resident memory, as it always was.
/// </summary>
internal sealed partial class InstanceController
{
    private InstanceCgroup? _cgroup;
    private long _oomSeen;
    private int _oomKills;
    private int _runOomKills;
    private bool _cgroupProblemSaid;

    /// <summary>The cgroup for a run about to start; null (having said why, once) when there is none to have.</summary>
    private InstanceCgroup? CreateCgroup()
    {
        if (_context.Options.Cgroups is not { } driver)
        {
            return null;
        }

        var resources = Spec.Resources;
        var limits = new CgroupLimits(driver.LimitsCpu ? resources.Cpu : null, driver.LimitsMemory ? resources.Memory?.Bytes : null);
        try
        {
            var cgroup = driver.Create(Id, limits);
            lock (_lock)
            {
                _cgroup = cgroup;
                _oomSeen = 0;
                _runOomKills = 0;
            }

            return cgroup;
        }
        catch (CgroupException e)
        {
            SayCgroupProblem($"{e.Message}; running without a cgroup" + WithoutLimits());
            return null;
        }
    }

    /// <summary>The cgroup an adopted process runs in, when the previous daemon made it.</summary>
    private void FindCgroup(RunningProcess process)
    {
        var cgroup = _context.Options.Cgroups?.Find(process.Pid);
        lock (_lock)
        {
            _cgroup = cgroup;
            _oomSeen = cgroup?.ReadUsage().OomKills ?? 0;
            _runOomKills = 0;
        }
    }

    private InstanceCgroup? CurrentCgroup()
    {
        lock (_lock)
        {
            return _cgroup;
        }
    }

    /// <summary>True when the kernel holds this run to <c>resources.memory</c> (its cgroup has the limit and the process is in it).</summary>
    private bool MemoryEnforcedByKernel() => CurrentCgroup() is { Limits.MemoryBytes: not null };

    /// <summary>
    /// Once the process has left the joining shell, a process not in its cgroup could not join it: its limits are
    /// not enforced, so the cgroup is let go and /proc watched instead.
    /// </summary>
    /// <param name="doubts">Looks so far that found the process outside its cgroup; the caller keeps it per run.</param>
    /// <returns>True once decided (joined, exited, or given up on); false while the process is still the joining shell or doubted once.</returns>
    private bool CheckJoined(RunningProcess process, InstanceCgroup cgroup, ref int doubts)
    {
        if (ProcessRunner.IsJoiningCgroups(process.Pid))
        {
            return false;
        }

        // Membership before the exit: a process the kernel kills (an OOM kill at its first allocation) leaves its
        // cgroup before it can be reaped, so a look at the exit first could see it alive and then outside.
        if (cgroup.Holds(process.Pid) || process.HasExited)
        {
            return true;
        }

        // A process between leaving its cgroup and becoming reapable is still neither: only a second look decides.
        if (++doubts < 2)
        {
            return false;
        }

        lock (_lock)
        {
            _cgroup = null;
        }

        cgroup.TryRemove();
        SayCgroupProblem($"pid {process.Pid} could not join its cgroup {cgroup}; running without it" + WithoutLimits());
        return true;
    }

    /// <summary>
    /// OOM kills counted in the cgroup since the last look. A kernel without the counter (old v1) shows only that the
    /// limit was hit; then a SIGKILL exit with hits counts as one.
    /// </summary>
    private long NewOomKills(CgroupUsage usage, ProcessExit? exit = null)
    {
        var total = usage.OomKills ?? (exit?.Signal == Signals.Kill && usage.LimitHits > 0 ? _oomSeen + 1 : _oomSeen);
        lock (_lock)
        {
            var fresh = Math.Max(0, total - _oomSeen);
            _oomSeen = total;
            _oomKills += (int)fresh;
            _runOomKills += (int)fresh;
            return fresh;
        }
    }

    /// <summary>
    /// How a run's exit is told: an OOM kill when the process died of SIGKILL (or of an unknown cause, adopted) after
    /// its cgroup counted OOM kills in this run; null for an ordinary exit.
    /// </summary>
    private string? OomExit(ProcessExit exit)
    {
        if (CurrentCgroup() is not { } cgroup)
        {
            return null;
        }

        NewOomKills(cgroup.ReadUsage(), exit);
        int kills;
        lock (_lock)
        {
            kills = _runOomKills;
        }

        if (kills == 0)
        {
            return null;
        }

        var limit = cgroup.Limits.MemoryBytes is { } bytes ? $"its memory limit of {new ByteSize(bytes)}" : "its cgroup's memory limit";
        return exit.Signal == Signals.Kill || !exit.IsKnown
            ? $"killed by the kernel's OOM killer at {limit} ({cgroup.Flavor}); {exit}"
            : $"{exit}, after the kernel's OOM killer killed {kills} of its processes at {limit}";
    }

    /// <summary>After a run: strays SIGKILLed (a process that left the group is still in the cgroup), then the cgroup removed.</summary>
    private async Task ReleaseCgroupAsync()
    {
        InstanceCgroup? cgroup;
        lock (_lock)
        {
            cgroup = _cgroup;
            _cgroup = null;
        }

        if (cgroup is null)
        {
            return;
        }

        var started = _context.Time.GetTimestamp();
        while (true)
        {
            cgroup.KillAll();
            if (cgroup.TryRemove())
            {
                return;
            }

            if (_context.Time.GetElapsedTime(started) > TimeSpan.FromSeconds(10))
            {
                Record(EventKinds.Error, $"its cgroup {cgroup} could not be removed: processes {string.Join(", ", cgroup.Processes())} are still in it");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _context.Time, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private string WithoutLimits()
    {
        var resources = Spec.Resources;
        return (resources.Memory, resources.Cpu) switch
        {
            (null, null) => "",
            ({ } memory, null) => $"; resources.memory ({memory}) is watched as resident memory instead",
            (null, { } cpu) => $"; resources.cpu ({Cores(cpu)}) is not enforced",
            ({ } memory, { } cpu) => $"; resources.memory ({memory}) is watched as resident memory instead and resources.cpu ({Cores(cpu)}) is not enforced",
        };
    }

    private static string Cores(double cores) => cores.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + (cores == 1 ? " core" : " cores");

    private void SayCgroupProblem(string message)
    {
        if (!_cgroupProblemSaid)
        {
            _cgroupProblemSaid = true;
            Record(EventKinds.LimitsNotEnforced, message);
        }
    }
}
