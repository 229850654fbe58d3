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

    // The shell exports a PWD of its own; the program must see only the environment it was given.
    private const string ForgetPwd = "unset PWD\n";

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

        var (program, argv0, arguments, environment) = Prepare(spec);

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

            // Joining cgroups needs the daemon's rights, so the shell joins first and then execs the program (behind
            // setpriv for run.user): the pid stays the program's either way.
            string[] command = spec.Cgroups.Count == 0
                ? [argv0, .. arguments]
                : [Shell, "-c", environment.Any(e => e.Key == "PWD") ? JoinCgroups : ForgetPwd + JoinCgroups, "slipway", spec.Cgroups.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), .. spec.Cgroups, program, .. arguments];
            var argv = ToCStrings(command, allocations);
            var envp = ToCStrings(environment.Select(e => $"{e.Key}={e.Value}"), allocations);
            var error = NativeMethods.posix_spawnp(out var pid, spec.Cgroups.Count == 0 ? program : Shell, fileActions, attr, argv, envp);
            if (error == ArgumentListTooLong.Errno)
            {
                throw new ProcessStartException(ArgumentListTooLong.Describe(spec));
            }

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
    public static bool IsJoiningCgroups(int pid) =>
        ProcFs.CommandLine(pid) is [Shell, "-c", var script, ..] && script.EndsWith(JoinCgroups, StringComparison.Ordinal);

    /// <summary>A process a previous daemon started, if it still lives as the same process (pid and start time).</summary>
    public RunningProcess? TryAdopt(int pid, long startTime) =>
        pid > 0 && ProcFs.IsSameProcess(pid, startTime)
            ? new RunningProcess(pid, startTime, isChild: false, _time, PollInterval)
            : null;

    /// <summary>
    /// The program's full path (so "not found" is a clear message, not errno 2) with argv[0] as written, or, for
    /// <see cref="ProcessSpec.RunAs"/> when we are root, the same program behind <c>setpriv</c> with that user's ids,
    /// groups and home.
    /// </summary>
    private static (string Program, string Argv0, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment) Prepare(ProcessSpec spec)
    {
        var path = spec.Environment.TryGetValue("PATH", out var p) ? p : null;
        var program = CommandLookup.Find(spec.FileName, spec.WorkingDirectory, path, out var error) ?? throw new ProcessStartException(error!);
        if (spec.RunAs is null || !UserAccount.IsRoot)
        {
            return (program, spec.FileName, spec.Arguments, spec.Environment);
        }

        var account = UserAccount.Find(spec.RunAs) ?? throw new ProcessStartException($"the user {spec.RunAs} does not exist on this machine");
        var setpriv = CommandLookup.Find("setpriv", spec.WorkingDirectory, path, out _)
            ?? throw new ProcessStartException($"running as {spec.RunAs} needs setpriv (Debian package util-linux), which is not on PATH ({path})");
        var environment = new Dictionary<string, string>(spec.Environment, StringComparer.Ordinal)
        {
            ["HOME"] = account.Home,
            ["USER"] = account.Name,
            ["LOGNAME"] = account.Name,
        };
        string[] arguments =
        [
            "--reuid=" + account.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--regid=" + account.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--init-groups", "--", program, .. spec.Arguments,
        ];
        return (setpriv, "setpriv", arguments, environment);
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
