using Slipway.Control.Events;
using Slipway.Control.Probes;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Control.Supervision;

/// <summary>One run of the instance: its exit, its probes and its resources, whichever speaks first.</summary>
internal sealed partial class InstanceController
{
    private async Task<SuperviseOutcome> SuperviseAsync(RunningProcess process, CancellationToken stop)
    {
        using var life = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var startedAt = _context.Time.GetTimestamp();
        var exit = process.WaitForExitAsync(life.Token);
        var probes = RunProbesAsync(process, startedAt, life.Token);
        var resources = WatchResourcesAsync(process, life.Token);
        var stopped = Task.Delay(Timeout.InfiniteTimeSpan, _context.Time, life.Token); // ends with stop, which cancels life
        var first = await Task.WhenAny(exit, probes, resources, stopped).ConfigureAwait(false);
        await life.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(Quietly(exit), Quietly(probes), Quietly(resources), Quietly(stopped)).ConfigureAwait(false);

        if (stop.IsCancellationRequested)
        {
            return SuperviseOutcome.StopRequested;
        }

        if (first == exit && exit.IsCompletedSuccessfully)
        {
            return SuperviseOutcome.Exited(exit.Result);
        }

        if (first == probes && probes.IsCompletedSuccessfully && probes.Result is { } probeKill)
        {
            return probeKill;
        }

        if (first == resources && resources.IsCompletedSuccessfully && resources.Result is { } resourceKill)
        {
            return resourceKill;
        }

        // A watcher failed unexpectedly: treat it as an exit of unknown cause rather than leave the slot unwatched.
        return process.Exit is { } known ? SuperviseOutcome.Exited(known) : SuperviseOutcome.Kill(EventKinds.SupervisionFailed, "lost track of the instance; restarting it");
    }

    /// <summary>Startup gates the rest; readiness routes; liveness (returned) restarts. Never returns while all is well.</summary>
    private async Task<SuperviseOutcome?> RunProbesAsync(RunningProcess process, long startedAt, CancellationToken token)
    {
        var health = Spec.Health;
        if (health.Startup is { } startup)
        {
            var (passed, detail) = await RunUntilDecidedAsync(startup, "startup", startedAt, token).ConfigureAwait(false);
            if (!passed)
            {
                _firstVerdict.TrySetResult();
                return SuperviseOutcome.Kill(EventKinds.StartupFailed, $"startup probe failed {startup.FailureThreshold} times: {detail}");
            }

            Record(EventKinds.StartedUp, $"startup probe passed: {detail}");
        }

        SetPhase(InstancePhase.Running);
        Task readiness;
        if (health.Readiness is { } readinessSpec)
        {
            readiness = RunReadinessAsync(readinessSpec, startedAt, token);
        }
        else
        {
            SetReady(true, health.Startup is null ? "running (no readiness probe)" : "started (no readiness probe)");
            readiness = Task.CompletedTask;
        }

        SuperviseOutcome? result = null;
        if (health.Liveness is { } liveness)
        {
            var (_, detail) = await RunUntilDecidedAsync(liveness, "liveness", startedAt, token, stopOnPass: false).ConfigureAwait(false);
            result = SuperviseOutcome.Kill(EventKinds.LivenessFailed, $"liveness probe failed {liveness.FailureThreshold} times in a row: {detail}");
        }
        else
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _context.Time, token).ConfigureAwait(false);
        }

        await Quietly(readiness).ConfigureAwait(false);
        return result;
    }

    private async Task RunReadinessAsync(ProbeSpec spec, long startedAt, CancellationToken token)
    {
        var tracker = new ProbeTracker(spec);
        await WaitInitialDelayAsync(spec, startedAt, token).ConfigureAwait(false);
        while (true)
        {
            var result = await CheckAsync(spec, token).ConfigureAwait(false);
            var change = tracker.Record(result.Success);
            NoteResult("readiness", result, tracker);
            if (change is ProbeState.Passing)
            {
                SetReady(true, $"readiness probe passed: {result.Detail}");
            }
            else if (change is ProbeState.Failing)
            {
                SetReady(false, $"readiness probe failed {spec.FailureThreshold} times in a row: {result.Detail}");
                _firstVerdict.TrySetResult();
            }

            await Task.Delay(spec.Period, _context.Time, token).ConfigureAwait(false);
        }
    }

    /// <summary>Probes until the tracker decides: passing (when <paramref name="stopOnPass"/>) or failing.</summary>
    private async Task<(bool Passed, string Detail)> RunUntilDecidedAsync(ProbeSpec spec, string role, long startedAt, CancellationToken token, bool stopOnPass = true)
    {
        var tracker = new ProbeTracker(spec);
        await WaitInitialDelayAsync(spec, startedAt, token).ConfigureAwait(false);
        while (true)
        {
            var result = await CheckAsync(spec, token).ConfigureAwait(false);
            var change = tracker.Record(result.Success);
            NoteResult(role, result, tracker);
            if (change is ProbeState.Failing)
            {
                return (false, result.Detail);
            }

            if (change is ProbeState.Passing && stopOnPass)
            {
                return (true, result.Detail);
            }

            if (role == "liveness" && _restarts.OnStillRunning(_context.Time.GetUtcNow()))
            {
                Record(EventKinds.Recovered, $"running for {DurationText.Format(Spec.Restart.ResetAfter)}; no longer crash-looping");
            }

            await Task.Delay(spec.Period, _context.Time, token).ConfigureAwait(false);
        }
    }

    private async Task<ProbeResult> CheckAsync(ProbeSpec spec, CancellationToken token)
    {
        int port;
        lock (_lock)
        {
            port = _port;
        }

        var target = new ProbeTarget("127.0.0.1", port, Path.GetFullPath(Spec.Run?.Workdir ?? ".", _context.Options.ManifestDirectory), BuildProcessSpec(port, requireSecrets: false).Environment);
        return await _context.Probes.For(spec).CheckAsync(spec, target, token).ConfigureAwait(false);
    }

    private void NoteResult(string role, ProbeResult result, ProbeTracker tracker)
    {
        // A probe that passes again clears the problem it reported: status shows what is wrong now.
        if (result.Success)
        {
            lock (_lock)
            {
                if (_lastProblem is not null && _lastProblem.StartsWith(role + " probe:", StringComparison.Ordinal))
                {
                    _lastProblem = null;
                }
            }

            return;
        }

        // The first failure of a streak is an event; the rest only count toward the threshold.
        if (tracker.ConsecutiveFailures == 1)
        {
            Record(EventKinds.ProbeFailed, $"{role} probe: {result.Detail}");
            lock (_lock)
            {
                _lastProblem = $"{role} probe: {result.Detail}";
            }
        }
    }

    private async Task WaitInitialDelayAsync(ProbeSpec spec, long startedAt, CancellationToken token)
    {
        var remaining = spec.InitialDelay - _context.Time.GetElapsedTime(startedAt);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, _context.Time, token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Samples CPU and memory: from the instance's cgroup when it has one (every process it ever started counted),
    /// else from /proc for its process group. Reports OOM kills the cgroup counts while the instance lives on; without
    /// a kernel-enforced memory limit, returns a kill when resident memory goes over <c>resources.memory</c>.
    /// </summary>
    private async Task<SuperviseOutcome?> WatchResourcesAsync(RunningProcess process, CancellationToken token)
    {
        var limit = Spec.Resources.Memory;
        var joinDecided = false;
        var joinDoubts = 0;
        while (true)
        {
            var cgroup = CurrentCgroup();
            if (cgroup is not null && !joinDecided)
            {
                joinDecided = CheckJoined(process, cgroup, ref joinDoubts);
                cgroup = CurrentCgroup();
            }

            var usage = cgroup?.ReadUsage();
            var group = usage is { Cpu: not null, MemoryBytes: not null } ? default : ProcFs.GroupStats(process.Pid);
            var stats = new ProcessStats(usage?.Cpu ?? group.CpuTime, usage?.MemoryBytes ?? group.ResidentBytes);
            var now = _context.Time.GetTimestamp();
            lock (_lock)
            {
                if (_lastStats is { } previous)
                {
                    var wall = _context.Time.GetElapsedTime(_lastStatsAt, now);
                    _cpuPercent = wall > TimeSpan.Zero ? Math.Max(0, 100.0 * (stats.CpuTime - previous.CpuTime) / wall) : 0;
                    _cpuSampledFrom = _context.Time.GetUtcNow() - wall;
                }

                _lastStats = stats;
                _lastStatsAt = now;
            }

            SaveRemembered(); // a row a full disk kept back gets written once there is room
            if (usage is { } counted && !process.HasExited && NewOomKills(counted) is > 0 and var kills)
            {
                var limitText = cgroup!.Limits.MemoryBytes is { } bytes ? new ByteSize(bytes).ToString() : "its cgroup's limit";
                Record(EventKinds.OutOfMemory, $"the kernel's OOM killer killed {(kills == 1 ? "a process" : $"{kills} processes")} of the instance at its memory limit of {limitText}");
            }

            if (!MemoryEnforcedByKernel() && limit is { } max && stats.ResidentBytes > max.Bytes)
            {
                return SuperviseOutcome.Kill(EventKinds.OutOfMemory, $"uses {new ByteSize(stats.ResidentBytes)} of memory, over its limit of {max}");
            }

            await Task.Delay(_context.Options.ResourceSampleInterval, _context.Time, token).ConfigureAwait(false);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled with the run.
        }
    }
}
