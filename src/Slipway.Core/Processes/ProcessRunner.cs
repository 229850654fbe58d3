using System.Runtime.InteropServices;

namespace Slipway.Core.Processes;

/// <summary>
/// The one way Slipway starts child processes.
/// </summary>
/// <remarks>
/// <para>
/// Long-running instances (<see cref="Start"/>) are spawned with <c>posix_spawnp</c> and <c>POSIX_SPAWN_SETSID</c>:
/// each is the leader of a new session and process group, so a signal to the group reaches everything it forks,
/// and a terminal's Ctrl-C or the daemon's death does not. Their stdout and stderr are files opened with
/// O_APPEND in the child, never pipes, so an instance outlives its daemon without a SIGPIPE or a full pipe.
/// Signal dispositions are reset to default (the .NET runtime ignores SIGPIPE; an exec keeps ignored signals).
/// </para>
/// <para>
/// An instance with <see cref="ProcessSpec.Cgroups"/> is started through <c>/bin/sh</c>, which writes its own pid
/// into each cgroup and then <c>exec</c>s the program with the same pid, arguments and environment: posix_spawn
/// cannot place a child in a cgroup, and moving it after the spawn would let whatever it forks or allocates first
/// escape the limits. The arguments reach the program as <c>"$@"</c>, never through a shell string. A join that
/// fails is said on the instance's stderr and the program runs anyway (the supervisor reads where it landed).
/// </para>
/// <para>
/// Short-lived tools (<see cref="RunToolAsync"/>, <see cref="RunStreamingAsync"/>, in ProcessRunner.Tools.cs) run
/// with pipes: their output is captured or streamed to the caller, and the whole tree is killed on timeout,
/// cancellation or a failed consumer.
/// </para>
/// </remarks>
internal sealed partial class ProcessRunner
{
    private const string Shell = "/bin/sh";

    // $1 is how many cgroup directories follow; then the program and its arguments, run in place of the shell.
    private const string JoinCgroups = """
        n=$1; shift
        while [ "$n" -gt 0 ]; do
          echo $$ 2>/dev/null > "$1/cgroup.procs" || echo "slipway: could not join cgroup $1; running without its limits" >&2
          shift; n=$((n - 1))
        done
        exec "$@"
        """;

    private readonly TimeProvider _time;

    public ProcessRunner(TimeProvider time, TimeSpan? pollInterval = null)
    {
        _time = time;
        PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(100);
    }

    public TimeSpan PollInterval { get; }

    /// <exception cref="ProcessStartException">The program, the working directory or a log file is not usable.</exception>
    public RunningProcess Start(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Directory.Exists(spec.WorkingDirectory))
        {
            throw new ProcessStartException($"working directory {spec.WorkingDirectory} does not exist");
        }

        if (!TryResolve(spec.FileName, spec.WorkingDirectory, spec.Environment, out var resolveError))
        {
            throw new ProcessStartException(resolveError!);
        }

        var allocations = new List<IntPtr>();
        var fileActions = Marshal.AllocHGlobal(NativeMethods.OpaqueSize);
        var attr = Marshal.AllocHGlobal(NativeMethods.OpaqueSize);
        var sigMask = Marshal.AllocHGlobal(NativeMethods.OpaqueSize);
        var sigDefault = Marshal.AllocHGlobal(NativeMethods.OpaqueSize);
        try
        {
            Check(NativeMethods.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            Check(NativeMethods.posix_spawnattr_init(attr), "posix_spawnattr_init");
            Check(NativeMethods.posix_spawn_file_actions_addchdir_np(fileActions, spec.WorkingDirectory), "addchdir");
            Check(NativeMethods.posix_spawn_file_actions_addopen(fileActions, 0, "/dev/null", NativeMethods.ORdOnly, 0), "open stdin");
            const int Mode = 0b110_000_000; // 0600: logs may hold what the app prints (tokens, personal data)
            const int Flags = NativeMethods.OWrOnly | NativeMethods.OCreat | NativeMethods.OAppend;
            Check(NativeMethods.posix_spawn_file_actions_addopen(fileActions, 1, spec.StdoutPath ?? "/dev/null", Flags, Mode), "open stdout");
            Check(NativeMethods.posix_spawn_file_actions_addopen(fileActions, 2, spec.StderrPath ?? "/dev/null", Flags, Mode), "open stderr");

            NativeMethods.sigemptyset(sigMask);
            NativeMethods.sigemptyset(sigDefault);
            for (var signal = 1; signal < 32; signal++)
            {
                if (signal is not (Signals.Kill or 19))
                {
                    NativeMethods.sigaddset(sigDefault, signal);
                }
            }

            Check(NativeMethods.posix_spawnattr_setsigmask(attr, sigMask), "setsigmask");
            Check(NativeMethods.posix_spawnattr_setsigdefault(attr, sigDefault), "setsigdefault");
            Check(NativeMethods.posix_spawnattr_setflags(attr, (short)(NativeMethods.PosixSpawnSetSid | NativeMethods.PosixSpawnSetSigMask | NativeMethods.PosixSpawnSetSigDefault)), "setflags");

            string[] command = spec.Cgroups.Count == 0
                ? [spec.FileName, .. spec.Arguments]
                : [Shell, "-c", JoinCgroups, "slipway", spec.Cgroups.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), .. spec.Cgroups, spec.FileName, .. spec.Arguments];
            var argv = ToCStrings(command, allocations);
            var envp = ToCStrings(spec.Environment.Select(e => $"{e.Key}={e.Value}"), allocations);
            var error = NativeMethods.posix_spawnp(out var pid, command[0], fileActions, attr, argv, envp);
            if (error != 0)
            {
                throw new ProcessStartException($"cannot start {spec.FileName}: {NativeMethods.ErrorText(error)}");
            }

            // The child exists from here; its start time is readable at once (even if it already exited, a zombie
            // keeps its stat until we reap it — then 0 stands in, and the first poll reports the exit).
            var startTime = ProcFs.StartTime(pid) ?? 0;
            return new RunningProcess(pid, startTime, isChild: true, _time, PollInterval);
        }
        finally
        {
            NativeMethods.posix_spawn_file_actions_destroy(fileActions);
            NativeMethods.posix_spawnattr_destroy(attr);
            Marshal.FreeHGlobal(fileActions);
            Marshal.FreeHGlobal(attr);
            Marshal.FreeHGlobal(sigMask);
            Marshal.FreeHGlobal(sigDefault);
            foreach (var p in allocations)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }

    /// <summary>True while <paramref name="pid"/> is still the shell joining its cgroups, before it runs the program.</summary>
    public static bool IsJoiningCgroups(int pid) => ProcFs.CommandLine(pid) is [Shell, "-c", JoinCgroups, ..];

    /// <summary>A process a previous daemon started, if it still lives as the same process (pid and start time).</summary>
    public RunningProcess? TryAdopt(int pid, long startTime) =>
        pid > 0 && ProcFs.IsSameProcess(pid, startTime)
            ? new RunningProcess(pid, startTime, isChild: false, _time, PollInterval)
            : null;

    /// <summary>Finds the program the way posix_spawnp will, so "not found" is a clear message, not errno 2.</summary>
    private static bool TryResolve(string fileName, string workingDirectory, IReadOnlyDictionary<string, string> environment, out string? error)
    {
        error = null;
        if (fileName.Length == 0)
        {
            error = "the command is empty";
            return false;
        }

        if (fileName.Contains('/'))
        {
            var full = Path.GetFullPath(fileName, workingDirectory);
            if (!File.Exists(full))
            {
                error = $"command {fileName} does not exist (looked for {full})";
                return false;
            }

            return true;
        }

        var path = environment.TryGetValue("PATH", out var p) ? p : "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, fileName)))
            {
                return true;
            }
        }

        error = $"command {fileName} was not found on PATH ({path})";
        return false;
    }

    private static IntPtr[] ToCStrings(IEnumerable<string> values, List<IntPtr> allocations)
    {
        var list = new List<IntPtr>();
        foreach (var value in values)
        {
            var p = Marshal.StringToCoTaskMemUTF8(value);
            allocations.Add(p);
            list.Add(p);
        }

        list.Add(IntPtr.Zero);
        return [.. list];
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new ProcessStartException($"cannot prepare the process ({what}): {NativeMethods.ErrorText(result)}");
        }
    }
}
