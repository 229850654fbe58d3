using System.Globalization;
using Slipway.Control.Events;
using Slipway.Control.Logs;
using Slipway.Control.Runtime;
using Slipway.Control.Secrets;
using Slipway.Control.State;
using Slipway.Core.Cgroups;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Control.Supervision;

/// <summary>
/// Keeps one instance slot (service × revision × slot number) running: start or adopt, probe, restart with
/// backoff, and on stop drain then signal. One loop per slot, driven by the injected clock; status is written
/// by that loop only and read through <see cref="Snapshot"/>.
/// </summary>
internal sealed partial class InstanceController
{
    private readonly SupervisorContext _context;
    private readonly RestartTracker _restarts;
    private readonly Action<InstanceController> _readinessChanged;
    private readonly InstanceSetup _setup;
    private readonly Lock _lock = new();
    private IDisposable? _lease;
    private InstancePhase _phase = InstancePhase.Pending;
    private bool _ready;
    private RunningProcess? _process;
    private int _port;
    private string? _lastProblem;
    private ProcessStats? _lastStats;
    private long _lastStatsAt;
    private double _cpuPercent;
    private DateTimeOffset? _cpuSampledFrom;
    private DateTimeOffset? _startedAt;
    private DateTimeOffset? _readySince;

    public InstanceController(SupervisorContext context, string service, ServiceSpec spec, string revision, string version, int slot,
        InstanceSetup setup, Action<InstanceController> readinessChanged)
    {
        _context = context;
        Service = service;
        Spec = spec;
        Revision = revision;
        Version = version;
        Slot = slot;
        _setup = setup;
        Id = $"{service}-{revision}-{slot.ToString(CultureInfo.InvariantCulture)}";
        _restarts = new RestartTracker(spec.Restart);
        _readinessChanged = readinessChanged;
    }

    public string Id { get; }

    public string Service { get; }

    public ServiceSpec Spec { get; }

    public string Revision { get; }

    public string Version { get; }

    public int Slot { get; }

    private string StateDirectory => _context.Options.StateDirectory;

    private readonly TaskCompletionSource _firstVerdict = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Done once this slot's process is known ready, or known not to be (it failed, exited, or there was none to
    /// adopt): after a restart the edge listens only when every adopted instance is back in routing or out of it.
    /// </summary>
    public Task FirstVerdict => _firstVerdict.Task;

    /// <summary>A stateful service's instance: one at a time, at its fixed port, with its data directory.</summary>
    private bool Stateful => _setup.FixedPort is not null;

    public InstanceStatus Snapshot()
    {
        lock (_lock)
        {
            var running = _process is { HasExited: false } p ? p : null;
            return new InstanceStatus(Id, Service, Revision, _phase, _ready, running?.Pid, _port,
                _restarts.RestartCount, _restarts.IsCrashLooping, _lastProblem is null ? null : SensitiveValues.MaskUrls(_lastProblem), _cpuPercent, _lastStats?.ResidentBytes ?? 0)
            {
                CpuSeconds = _lastStats?.CpuTime.TotalSeconds ?? 0,
                StartedAt = running is null ? null : _startedAt,
                ReadySince = running is null ? null : _readySince,
                CpuLimit = Spec.Resources.Cpu,
                MemoryLimit = Spec.Resources.Memory?.Bytes,
                Cgroup = _cgroup?.ToString(),
                OomKills = _oomKills,
                CpuSampledFrom = _cpuSampledFrom,
            };
        }
    }

    /// <summary>Runs until <paramref name="stop"/> fires, then drains and stops the instance.</summary>
    /// <param name="adopt">A process a previous daemon started for this slot, re-adopted if it still lives.</param>
    public async Task RunAsync(InstanceRecord? adopt, CancellationToken stop)
    {
        try
        {
            await RunSlotAsync(adopt, stop).ConfigureAwait(false);
        }
        finally
        {
            ReleaseLease();
            _firstVerdict.TrySetResult();
        }
    }

    private async Task RunSlotAsync(InstanceRecord? adopt, CancellationToken stop)
    {
        // A run of this loop that failed may have left its process running: supervised again, never started twice.
        var resume = Resume();
        if (stop.IsCancellationRequested && _context.Detaching)
        {
            return;
        }

        if (stop.IsCancellationRequested && (resume is not null || adopt is not null))
        {
            // Stopped before this slot ever ran (a rollout aborted at daemon start), or after a failed run: the
            // process is still drained and stopped, never leaked.
            await TakeLeaseAsync(CancellationToken.None).ConfigureAwait(false);
            if ((resume ?? Adopt(adopt!)) is { } leftover)
            {
                await DrainAndStopAsync(leftover, "stop requested").ConfigureAwait(false);
            }

            return;
        }

        while (!stop.IsCancellationRequested)
        {
            RunningProcess? process = null;
            if (resume is not null || adopt is not null)
            {
                if (!await TakeLeaseAsync(stop).ConfigureAwait(false))
                {
                    if (resume is not null)
                    {
                        await DrainAndStopAsync(resume, "stop requested").ConfigureAwait(false);
                    }

                    return;
                }

                process = resume ?? Adopt(adopt!);
                resume = null;
                adopt = null;
            }

            if (process is null)
            {
                _firstVerdict.TrySetResult(); // nothing to restore: a new instance takes its time
                var prepared = await PrepareStartAsync(stop).ConfigureAwait(false);
                if (prepared == StartPreparation.Stopped)
                {
                    return;
                }

                process = prepared == StartPreparation.Ready ? StartNew() : null;
                if (process is null)
                {
                    // Could not start at all (missing command, workdir, a failed init, ...): a failed run for the backoff.
                    ReleaseLease();
                    if (!await BackOffAsync(_restarts.OnExited(_context.Time.GetUtcNow(), failed: true), stop).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }
            }

            var outcome = await SuperviseAsync(process, stop).ConfigureAwait(false);
            _firstVerdict.TrySetResult();
            if (outcome.Stopped && _context.Detaching)
            {
                // Handed over: the successor adopts the process from its row; its logs are shipped up to here.
                _context.Logs.Detach(Id);
                return;
            }

            if (outcome.Stopped)
            {
                await DrainAndStopAsync(process, "stop requested").ConfigureAwait(false);
                return;
            }

            string problem;
            if (outcome.KillKind is { } kind)
            {
                SetReady(false, null);
                Record(kind, outcome.Message);
                problem = outcome.Message;
                var killed = await process.TerminateGroupAsync(Spec.Stop.GracePeriod, CancellationToken.None, Spec.Stop.SignalNumber).ConfigureAwait(false);
                if (killed)
                {
                    Record(EventKinds.Killed, $"did not stop within the grace period ({DurationText.Format(Spec.Stop.GracePeriod)}) after {Signals.Name(Spec.Stop.SignalNumber)}; sent SIGKILL to its process group");
                }
            }
            else
            {
                SetReady(false, null);
                var oom = OomExit(outcome.Exit);
                problem = oom ?? outcome.Exit.ToString();
                Record(oom is not null && (outcome.Exit.Signal == Signals.Kill || !outcome.Exit.IsKnown) ? EventKinds.OutOfMemory : EventKinds.Exited, $"pid {process.Pid} {problem}");
                await process.TerminateGroupAsync(Spec.Stop.GracePeriod, CancellationToken.None, Spec.Stop.SignalNumber).ConfigureAwait(false); // what it left behind
            }

            ReleaseLease();
            await ReleaseCgroupAsync().ConfigureAwait(false);
            _context.Logs.Detach(Id);
            var failed = outcome.KillKind is not null || !outcome.Exit.IsSuccess;
            lock (_lock)
            {
                _lastProblem = problem;
            }

            if (!await BackOffAsync(_restarts.OnExited(_context.Time.GetUtcNow(), failed), stop).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <returns>False when the slot is done (policy says no restart, or stop was requested).</returns>
    private async Task<bool> BackOffAsync(RestartDecision decision, CancellationToken stop)
    {
        if (decision.BecameCrashLooping)
        {
            Record(EventKinds.CrashLooping, $"restarted {_restarts.RestartCount} times, {Spec.Restart.CrashLoopThreshold} within {DurationText.Format(Spec.Restart.CrashLoopWindow)}; retrying every {DurationText.Format(decision.Delay)}");
        }

        if (!decision.Restart)
        {
            SetPhase(InstancePhase.Exited);
            Record(EventKinds.NotRestarted, $"restart policy {Spec.Restart.Policy} does not restart it");
            ForgetRecord();
            return false;
        }

        SetPhase(InstancePhase.BackingOff);
        Record(EventKinds.Restarting, $"restart {_restarts.RestartCount} in {DurationText.Format(decision.Delay)}");
        try
        {
            await Task.Delay(decision.Delay, _context.Time, stop).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            SetPhase(InstancePhase.Stopped);
            ForgetRecord();
            return false;
        }
    }

    private RunningProcess? Resume()
    {
        RunningProcess? live;
        lock (_lock)
        {
            live = _process is { HasExited: false } p ? p : null;
        }

        if (live is not null)
        {
            Record(EventKinds.Resumed, $"pid {live.Pid} still runs; supervising it again");
        }

        return live;
    }

    private RunningProcess? Adopt(InstanceRecord record)
    {
        var process = _context.Runner.TryAdopt(record.Pid, record.ProcessStartTime);
        if (process is null)
        {
            Record(EventKinds.Gone, $"pid {record.Pid} from the previous daemon is no longer running; starting a new instance");
            return null;
        }

        lock (_lock)
        {
            _process = process;
            _port = record.Port;
            _phase = InstancePhase.Starting;
            ResetSamples();
        }

        FindCgroup(process);
        _restarts.OnStarted(_context.Time.GetUtcNow());
        _context.Logs.Attach(Id, record.StdoutPath, record.StderrPath, LogPaths.Stamped(StateDirectory, Service, Id));
        Record(EventKinds.Adopted, $"pid {process.Pid} on port {record.Port}, still running from the previous daemon");
        return process;
    }

    private RunningProcess? StartNew()
    {
        var port = _setup.FixedPort ?? LoopbackPorts.Instances.Next();
        var stdout = LogPaths.RawStdout(StateDirectory, Service, Id);
        var stderr = LogPaths.RawStderr(StateDirectory, Service, Id);
        lock (_lock)
        {
            _port = port;
            _phase = InstancePhase.Starting;
        }

        RunningProcess process;
        var cgroup = CreateCgroup();
        try
        {
            PrivateDirectory.Create(Path.GetDirectoryName(stdout)!);
            var spec = BuildProcessSpec(port) with { StdoutPath = stdout, StderrPath = stderr, RunAs = Spec.Run!.User, Cgroups = cgroup?.Directories ?? [] };
            process = _context.Runner.Start(spec);
        }
        catch (SecretMissingException e)
        {
            lock (_lock)
            {
                _lastProblem = e.Message;
            }

            Record(EventKinds.SecretMissing, e.Message);
            DropCgroup();
            return null;
        }
        catch (Exception e) when (e is ProcessStartException or IOException or UnauthorizedAccessException or KeyNotFoundException)
        {
            lock (_lock)
            {
                _lastProblem = e.Message;
            }

            Record(EventKinds.StartFailed, e.Message);
            DropCgroup();
            return null;
        }

        lock (_lock)
        {
            _process = process;
            ResetSamples();
        }

        _restarts.OnStarted(_context.Time.GetUtcNow());
        Remember(new InstanceRecord(Id, Service, Revision, Slot, process.Pid, process.StartTime, port, stdout, stderr, Active: true));
        _context.Logs.Attach(Id, stdout, stderr, LogPaths.Stamped(StateDirectory, Service, Id));
        Record(EventKinds.Started, $"pid {process.Pid} on port {port}: {Spec.Run!.Command} {string.Join(' ', Spec.Run.Args)}");
        return process;
    }

    /// <summary>The argument list, environment and working directory, with placeholders filled.</summary>
    /// <param name="requireSecrets">True when starting: a missing secret throws <see cref="SecretMissingException"/>.
    /// False for probes of a running instance, which simply go without a secret deleted since.</param>
    internal ProcessSpec BuildProcessSpec(int port, bool requireSecrets = true)
    {
        var run = Spec.Run!;
        var values = PlaceholderValues(port);
        var environment = ChildEnvironment.ForService(run, values, _setup.SharedEnvironment, Secret, out var missing);
        if (missing is not null && requireSecrets)
        {
            throw new SecretMissingException(Service, missing);
        }

        if (Stateful)
        {
            environment["SLIPWAY_DATA_DIR"] = values["DATA_DIR"];
        }

        environment["PORT"] = values["PORT"];
        environment["SLIPWAY_SERVICE"] = Service;
        environment["SLIPWAY_REVISION"] = Revision;
        environment["SLIPWAY_INSTANCE"] = Id;
        var workdir = Path.GetFullPath(run.Workdir ?? ".", _context.Options.ManifestDirectory);
        return new ProcessSpec(
            Placeholders.Expand(run.Command, values),
            [.. run.Args.Select(a => Placeholders.Expand(a, values))],
            environment,
            workdir);
    }

    private Dictionary<string, string> PlaceholderValues(int port)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["VERSION"] = Version,
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["SERVICE"] = Service,
            ["REVISION"] = Revision,
            ["INSTANCE"] = Id,
            ["STATE_DIR"] = StateDirectory,
            ["MANIFEST_DIR"] = _context.Options.ManifestDirectory,
        };
        if (Stateful)
        {
            values["DATA_DIR"] = DataDirectory.For(StateDirectory, Service);
        }

        return values;
    }

    private string? Secret(string name) => _context.Options.Secrets is { } secrets && secrets.TryGet(name, out var value) ? value : null;

    /// <summary>A new process: its CPU is measured from its own start, not against the last one's total. Called under <see cref="_lock"/>.</summary>
    private void ResetSamples()
    {
        _lastStats = null;
        _cpuPercent = 0;
        _cpuSampledFrom = null;
        _startedAt = _context.Time.GetUtcNow();
        _readySince = _startedAt;
    }

    /// <summary>A cgroup made for a process that never started.</summary>
    private void DropCgroup()
    {
        InstanceCgroup? cgroup;
        lock (_lock)
        {
            cgroup = _cgroup;
            _cgroup = null;
        }

        cgroup?.TryRemove();
    }

    private void SetPhase(InstancePhase phase)
    {
        lock (_lock)
        {
            _phase = phase;
        }
    }

    /// <summary>Changes readiness and, when it changed, republishes routing.</summary>
    private void SetReady(bool ready, string? why)
    {
        bool changed;
        lock (_lock)
        {
            changed = _ready != ready;
            _ready = ready;
            if (changed)
            {
                _readySince = _context.Time.GetUtcNow();
            }
        }

        if (ready)
        {
            _firstVerdict.TrySetResult();
        }

        if (changed)
        {
            if (why is not null)
            {
                Record(ready ? EventKinds.Ready : EventKinds.NotReady, why);
            }

            _readinessChanged(this);
        }
    }

    private void Record(string kind, string message) => _context.Journal.Record(Service, Id, kind, message);
}
