namespace Slipway.Core.Processes;

/// <summary>
/// A process the runner started or re-adopted: the leader of its own session and process group
/// (pgid == pid), so signals go to the whole tree with <c>kill(-pgid)</c>.
/// </summary>
/// <remarks>
/// Exit is observed by polling: <c>waitpid(WNOHANG)</c> for our own children (which also reaps them),
/// <c>/proc/PID</c> plus start time for adopted ones, whose parent is no longer us. Polling keeps one code
/// path for both and takes no SIGCHLD handler away from the .NET runtime.
/// </remarks>
internal sealed class RunningProcess
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;
    private readonly Lock _lock = new();
    private ProcessExit? _exit;

    public RunningProcess(int pid, long startTime, bool isChild, TimeProvider time, TimeSpan pollInterval)
    {
        Pid = pid;
        StartTime = startTime;
        IsChild = isChild;
        _time = time;
        _pollInterval = pollInterval;
    }

    public int Pid { get; }

    /// <summary>Clock ticks since boot (from /proc); with the pid, the process's identity.</summary>
    public long StartTime { get; }

    /// <summary>False for a process re-adopted after a daemon restart.</summary>
    public bool IsChild { get; }

    /// <summary>How it ended, once it has; null while it runs.</summary>
    public ProcessExit? Exit
    {
        get
        {
            lock (_lock)
            {
                return _exit ?? Poll();
            }
        }
    }

    public bool HasExited => Exit is not null;

    public async Task<ProcessExit> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (Exit is { } exit)
            {
                return exit;
            }

            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends <paramref name="signal"/> to every process in the group. False when none is left.</summary>
    public bool SignalGroup(int signal) => NativeMethods.kill(-Pid, signal) == 0;

    /// <summary>True while any process of the group (the leader or what it spawned) is alive.</summary>
    public bool GroupAlive() => ProcFs.GroupMembers(Pid).Count > 0 || !HasExited;

    /// <summary>
    /// <paramref name="signal"/> (SIGTERM unless a service asks for another) to the whole group, up to
    /// <paramref name="gracePeriod"/> for every member to leave, then SIGKILL to whatever remains. Returns true
    /// when SIGKILL was needed.
    /// </summary>
    public async Task<bool> TerminateGroupAsync(TimeSpan gracePeriod, CancellationToken cancellationToken = default, int signal = Signals.Term)
    {
        SignalGroup(signal);
        var deadline = _time.GetTimestamp();
        while (_time.GetElapsedTime(deadline) < gracePeriod)
        {
            _ = Exit; // reaps the leader so it does not linger as a zombie member
            if (!GroupAlive())
            {
                return false;
            }

            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        _ = Exit;
        if (!GroupAlive())
        {
            return false;
        }

        SignalGroup(Signals.Kill);
        var killedAt = _time.GetTimestamp();
        // SIGKILL cannot be ignored; wait (bounded) for the kernel to finish and for the leader to be reaped.
        while (GroupAlive() && _time.GetElapsedTime(killedAt) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    // Under _lock.
    private ProcessExit? Poll()
    {
        if (IsChild)
        {
            var result = NativeMethods.waitpid(Pid, out var status, NativeMethods.WNoHang);
            if (result == Pid)
            {
                var signal = status & 0x7f;
                _exit = signal == 0 ? new ProcessExit((status >> 8) & 0xff, null) : new ProcessExit(null, signal);
            }
            else if (result < 0 && !ProcFs.IsSameProcess(Pid, StartTime))
            {
                // ECHILD: someone else reaped it. It is gone; how it ended is lost.
                _exit = ProcessExit.Unknown;
            }
        }
        else if (!ProcFs.IsSameProcess(Pid, StartTime))
        {
            _exit = ProcessExit.Unknown;
        }

        return _exit;
    }
}
