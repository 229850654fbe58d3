using Slipway.Core.Processes;
using Slipway.Testing;

namespace Slipway.Core.Tests.Processes;

/// <summary>The process runner against real processes: sessions and groups, the grace-then-kill stop, adoption, tools.</summary>
public sealed class ProcessRunnerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ProcessRunner _runner = new(TimeProvider.System, TimeSpan.FromMilliseconds(20));
    private readonly List<RunningProcess> _started = [];

    private ProcessSpec Spec(params string[] command) =>
        new(command[0], command[1..], ProcessSpec.BaseEnvironment(), _dir.Path)
        {
            StdoutPath = _dir.Combine("out"),
            StderrPath = _dir.Combine("err"),
        };

    private RunningProcess Start(ProcessSpec spec)
    {
        var process = _runner.Start(spec);
        _started.Add(process);
        return process;
    }

    [Fact]
    public async Task Start_ArgumentsNotShellInterpreted_OutputAppendedToFiles()
    {
        var process = Start(Spec("sh", "-c", "echo \"$1\"; echo oops >&2; exit 3", "sh", "a b; $HOME"));

        var exit = await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, exit.ExitCode);
        Assert.Equal("a b; $HOME\n", await File.ReadAllTextAsync(_dir.Combine("out")));
        Assert.Equal("oops\n", await File.ReadAllTextAsync(_dir.Combine("err")));
    }

    [Fact]
    public void Start_OneVariableOverTheKernelsLimit_NamesIt()
    {
        var spec = Spec("true");
        var environment = new Dictionary<string, string>(spec.Environment) { ["BIG_SECRET"] = new string('x', 200 * 1024) };

        var e = Assert.Throws<ProcessStartException>(() => _runner.Start(spec with { Environment = environment }));

        Assert.Contains("E2BIG", e.Message, StringComparison.Ordinal);
        Assert.Contains("environment variable BIG_SECRET is 200.0 KiB, over the 128.0 KiB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ManyVariablesTooLargeTogether_NamesTheLargest()
    {
        var spec = Spec("true");
        var environment = new Dictionary<string, string>(spec.Environment);
        for (var i = 0; i < 100; i++)
        {
            environment[$"PART_{i:D3}"] = new string('x', (i == 42 ? 120 : 100) * 1024);
        }

        var e = Assert.Throws<ProcessStartException>(() => _runner.Start(spec with { Environment = environment }));

        Assert.Contains("together they take", e.Message, StringComparison.Ordinal);
        Assert.Contains("the largest: environment variable PART_042 (120.0 KiB)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ThroughTheCgroupJoin_ProgramSeesOnlyItsEnvironmentAndItsPid()
    {
        // Any directory stands in for a cgroup here: the join writes the shell's pid into its cgroup.procs.
        var group = Directory.CreateDirectory(_dir.Combine("group")).FullName;
        var process = Start(new ProcessSpec("/bin/cat", ["/proc/self/environ"], new Dictionary<string, string> { ["ONLY"] = "this" }, _dir.Path)
        {
            StdoutPath = _dir.Combine("out"),
            StderrPath = _dir.Combine("err"),
            Cgroups = [group],
        });

        var exit = await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["ONLY=this"], (await File.ReadAllTextAsync(_dir.Combine("out"))).Split('\0', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(Path.Combine(group, "cgroup.procs"))).Trim());
    }

    [Fact]
    public void Start_OwnSessionAndGroup_PgidIsPid()
    {
        var process = Start(Spec("sleep", "30"));
        var stat = File.ReadAllText($"/proc/{process.Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        Assert.Equal(process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[2]); // pgrp
        Assert.Equal(process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[3]); // session
    }

    [Fact]
    public async Task TerminateGroup_ChildIgnoresSigterm_WholeGroupKilledAfterGrace()
    {
        // The leader and a grandchild both ignore SIGTERM.
        var process = Start(Spec("sh", "-c", "trap '' TERM; sh -c \"trap '' TERM; sleep 300\" & sleep 300"));
        await Wait.UntilAsync(() => ProcFs.GroupMembers(process.Pid).Count >= 3, "the process tree to start");

        var killed = await process.TerminateGroupAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(killed);
        Assert.Empty(ProcFs.GroupMembers(process.Pid));
        Assert.Equal(Signals.Kill, process.Exit!.Value.Signal);
    }

    [Fact]
    public async Task TryAdopt_LivingProcessWithSameStartTime_WaitsForItsExit()
    {
        var process = Start(Spec("sleep", "30"));

        Assert.Null(_runner.TryAdopt(process.Pid, process.StartTime + 1));
        var adopted = _runner.TryAdopt(process.Pid, process.StartTime);
        Assert.NotNull(adopted);
        Assert.False(adopted.IsChild);

        adopted.SignalGroup(Signals.Kill);
        _ = process.Exit; // reap our own child, as its parent
        var exit = await adopted.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(exit.IsKnown);
    }

    [Fact]
    public void Start_MissingCommandOrWorkdir_ClearMessage()
    {
        var missing = Assert.Throws<ProcessStartException>(() => _runner.Start(Spec("no-such-command-xyz")));
        Assert.Contains("no-such-command-xyz was not found on PATH", missing.Message, StringComparison.Ordinal);

        var workdir = Assert.Throws<ProcessStartException>(() => _runner.Start(Spec("true") with { WorkingDirectory = _dir.Combine("nope") }));
        Assert.Contains("does not exist", workdir.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunTool_CapturesStreams()
    {
        var result = await _runner.RunToolAsync(Spec("sh", "-c", "echo out; echo err >&2; exit 4"), TimeSpan.FromSeconds(10));

        Assert.Equal((4, "out\n", "err\n", false), (result.ExitCode, result.Stdout, result.Stderr, result.TimedOut));
    }

    [Fact]
    public async Task RunTool_BaseEnvironment_OnlyTheAllowListReachesTheChild()
    {
        var name = "SLIPWAY_SECRET_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "not-for-children");
        try
        {
            var result = await _runner.RunToolAsync(Spec("env"), TimeSpan.FromSeconds(10));

            var names = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]);
            Assert.All(names, n => Assert.Contains(n, ProcessSpec.InheritedVariables));
            Assert.Contains("PATH", names);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task RunTool_Timeout_KilledAndReported()
    {
        var result = await _runner.RunToolAsync(Spec("sleep", "30"), TimeSpan.FromMilliseconds(200)).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(result.TimedOut);
        Assert.False(result.IsSuccess);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var process in _started)
        {
            process.SignalGroup(Signals.Kill);
            _ = process.Exit;
        }

        _dir.Dispose();
        return Task.CompletedTask;
    }
}
