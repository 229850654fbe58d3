using Slipway.Control.Events;
using Slipway.Control.Rollouts.Strategies;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Manifest.Snapshot;

namespace Slipway.Control.Rollouts;

/// <summary>
/// Deploys, one rollout per service at a time: starts them, takes the manual commands (promote, pause, resume,
/// abort, rollback), keeps blue-green old sets warm, and on start settles what a previous daemon left unfinished.
/// </summary>
/// <remarks>
/// A rollout found in the store at start is aborted to its stable revision (its new instances were adopted by the
/// supervisor, so they drain rather than die), or completed when its promotion swap had already happened; traffic
/// is never left split with no controller, because weights live only in memory and start at 100 % current.
/// </remarks>
internal sealed partial class RolloutController : IAsyncDisposable
{
    private readonly LiveManifest _manifest;
    private readonly RolloutContext _context;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _commands = new(1, 1);
    private readonly Dictionary<string, Rollout> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RolloutStatus> _last = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WarmSet> _warm = new(StringComparer.Ordinal);
    private readonly List<Task> _tasks = [];
    private bool _stopped;

    public RolloutController(LiveManifest manifest, RolloutContext context)
    {
        _manifest = manifest;
        _context = context;
    }

    /// <summary>The rollout running now, else the last one that ended since the daemon started; null when none.</summary>
    public RolloutStatus? Status(string service)
    {
        lock (_lock)
        {
            return _active.TryGetValue(service, out var rollout) ? rollout.Status() : _last.GetValueOrDefault(service);
        }
    }

    /// <summary>
    /// Why the autoscaler must leave <paramref name="service"/> alone now: a rolling, blue-green or rollback rollout
    /// until it ends, a blue-green old set while it stays warm, a canary between its steps; null when it may act.
    /// A canary at a step is returned in <paramref name="canary"/>: it is resized through <see cref="Resize"/>.
    /// </summary>
    public string? ScalingHold(string service, out RolloutStatus? canary)
    {
        canary = null;
        lock (_lock)
        {
            if (_warm.TryGetValue(service, out var warm))
            {
                return $"revision {warm.Revision} stays warm after the blue-green switch to revision {warm.PromotedRevision}";
            }

            if (!_active.TryGetValue(service, out var rollout) || rollout.Finished)
            {
                return null;
            }

            var status = rollout.Status();
            if (status.Strategy == RolloutStrategy.Canary && status.Phase is (RolloutPhase.Canary or RolloutPhase.AwaitingVerdict))
            {
                canary = status;
                return null;
            }

            return $"{ScalarParsers.EnumName(status.Strategy)} rollout of revision {status.Revision} is {ScalarParsers.EnumName(status.Phase)}";
        }
    }

    /// <summary>Asks the running canary of <paramref name="service"/> for <paramref name="total"/> instances across both revisions.</summary>
    public void Resize(string service, int total)
    {
        lock (_lock)
        {
            if (_active.TryGetValue(service, out var rollout) && !rollout.Finished)
            {
                rollout.Resize(total);
            }
        }
    }

    /// <summary>Every rollout running now.</summary>
    public IReadOnlyList<RolloutStatus> Active()
    {
        lock (_lock)
        {
            return [.. _active.Values.Select(r => r.Status()).OrderBy(s => s.Service, StringComparer.Ordinal)];
        }
    }

    /// <summary>Starts a deploy of <see cref="RolloutRequest.Version"/>; answers once it runs (follow it with <see cref="Status"/>).</summary>
    /// <exception cref="RolloutRefusedException">Unknown service, bad version, another rollout running, or a closed window.</exception>
    public async Task<RolloutStatus> DeployAsync(RolloutRequest request)
    {
        var spec = (request.Spec ?? CurrentSpec(request.Service)) with { Version = request.Version };
        if (!RevisionNames.IsValidVersion(request.Version))
        {
            throw new RolloutRefusedException(RefusalKind.Invalid, $"version {request.Version} is not valid: a version is {RevisionNames.VersionRule}");
        }

        CheckStaticRoot(request.Service, spec, request.Version);
        var refusal = DeployGate.Refusal(spec.Deploy, _context.Time.GetUtcNow());
        if (refusal is not null && !request.Force)
        {
            throw new RolloutRefusedException(RefusalKind.Conflict, $"{request.Service}: {refusal}");
        }

        await _commands.WaitAsync().ConfigureAwait(false);
        try
        {
            await ClearWayAsync(request.Service, request.Force, $"replaced by a forced deploy of version {request.Version}").ConfigureAwait(false);
            var reason = request.Reason;
            if (refusal is not null)
            {
                reason = $"{reason}{(reason is null ? "" : "; ")}forced: {refusal}";
            }

            return Begin(request.Service, spec, request.Version, StrategyOf(spec.Deploy.Strategy), request.CreatedBy, reason, request.Replicas);
        }
        finally
        {
            _commands.Release();
        }
    }

    public RolloutStatus Promote(string service)
    {
        var rollout = Running(service);
        if (!rollout.PromotedByCommand)
        {
            throw new RolloutRefusedException(RefusalKind.Conflict, $"{service}: a {ScalarParsers.EnumName(rollout.Strategy)} rollout promotes itself once every new instance is ready");
        }

        rollout.Promote();
        return rollout.Status();
    }

    public RolloutStatus Pause(string service)
    {
        var rollout = Running(service);
        rollout.Pause();
        _context.Journal.Record(service, null, EventKinds.RolloutStep, $"paused at {ScalarParsers.EnumName(rollout.Status().Phase)}; `slipway resume {service}` continues");
        return rollout.Status();
    }

    public RolloutStatus Resume(string service)
    {
        var rollout = Running(service);
        rollout.Resume();
        _context.Journal.Record(service, null, EventKinds.RolloutStep, "resumed");
        return rollout.Status();
    }

    /// <summary>Ends the running rollout with traffic back on stable; answers when the new instances are gone.</summary>
    public async Task<RolloutStatus> AbortAsync(string service, string by)
    {
        var rollout = Running(service);
        rollout.End(RolloutEnd.Aborted($"aborted by {by}"));
        return await rollout.Completion.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _commands.Dispose();
    }

    /// <summary>Stops following rollouts (the daemon stops); the store keeps them for the next start to settle.</summary>
    public async Task StopAsync()
    {
        List<Task> waits;
        lock (_lock)
        {
            _stopped = true;
            foreach (var rollout in _active.Values)
            {
                rollout.Detach();
            }

            foreach (var warm in _warm.Values)
            {
                warm.Cancel.Cancel();
            }

            waits = [.. _tasks];
        }

        await Task.WhenAll(waits).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private ServiceSpec RunSpec(string service)
    {
        if (!_manifest.Services.TryGetValue(service, out var spec))
        {
            throw new RolloutRefusedException(RefusalKind.NotFound, $"there is no service named {service} in this app");
        }

        return spec.HasRevisions
            ? spec
            : throw new RolloutRefusedException(RefusalKind.Invalid, $"{service} is an upstream service; Slipway does not run or deploy its instances");
    }

    /// <summary>A static site's version must have its directory, holding the index, before anything is switched.</summary>
    private void CheckStaticRoot(string service, ServiceSpec spec, string version)
    {
        if (spec.Static is { } site && Supervision.StaticRevision.ProblemOf(site, site.RootFor(_context.ManifestDirectory, version)) is { } problem)
        {
            throw new RolloutRefusedException(RefusalKind.Invalid, $"services.{service}.{problem} (version {version})");
        }
    }

    /// <summary>What a new version of <paramref name="service"/> runs with: the current revision's spec, the running manifest's service-wide settings.</summary>
    private ServiceSpec CurrentSpec(string service)
    {
        var live = RunSpec(service);
        var current = _context.Store.Revision(service, _context.Traffic.Current(service).Revision);
        return SpecSnapshot.TryRead(current?.Spec, out var running) ? live.WithRevisionFieldsOf(running) : live;
    }

    private static RolloutStrategy StrategyOf(DeployStrategy strategy) => strategy switch
    {
        DeployStrategy.Canary => RolloutStrategy.Canary,
        DeployStrategy.BlueGreen => RolloutStrategy.BlueGreen,
        _ => RolloutStrategy.Rolling,
    };

    private Rollout Running(string service)
    {
        RunSpec(service);
        lock (_lock)
        {
            return _active.TryGetValue(service, out var rollout) && !rollout.Finished
                ? rollout
                : throw new RolloutRefusedException(RefusalKind.Conflict, $"no rollout of {service} is running");
        }
    }

    /// <summary>Before a new rollout: refuse or abort a running one, and retire a warm old set.</summary>
    private async Task ClearWayAsync(string service, bool force, string why)
    {
        Rollout? running;
        lock (_lock)
        {
            running = _active.GetValueOrDefault(service);
        }

        if (running is not null && !running.Finished)
        {
            if (!force)
            {
                var status = running.Status();
                throw new RolloutRefusedException(RefusalKind.Conflict,
                    $"a rollout of {service} is already running (revision {status.Revision}, version {status.Version}, {ScalarParsers.EnumName(status.Phase)}); wait for it, `slipway abort {service}`, or deploy with --force");
            }

            running.End(RolloutEnd.Aborted(why));
            await running.Completion.ConfigureAwait(false);
        }

        await RetireWarmAsync(service).ConfigureAwait(false);
    }

    /// <summary>Creates the revision and starts its rollout. Called holding <see cref="_commands"/>.</summary>
    private RolloutStatus Begin(string service, ServiceSpec spec, string version, RolloutStrategy strategy, string createdBy, string? reason, int? replicasWanted = null)
    {
        var now = _context.Time.GetUtcNow();
        var stable = _context.Traffic.Current(service);
        var replicas = replicasWanted ?? _context.Host.Revisions(service).FirstOrDefault(r => r.Revision == stable.Revision)?.Desired ?? spec.InitialReplicas;
        var revision = _context.Store.CreateRevision(service, version, SpecSnapshot.Write(spec), createdBy, reason, now);
        _context.Store.SetRevisionOutcome(service, revision.Revision, RevisionOutcome.Running, null);
        var rollout = new Rollout(_context, service, spec, revision, RolloutStrategies.For(strategy), stable, replicas, now);
        lock (_lock)
        {
            if (_stopped)
            {
                throw new RolloutRefusedException(RefusalKind.Conflict, "the daemon is stopping");
            }

            _active[service] = rollout;
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(Task.Run(() => FollowAsync(rollout)));
        }

        return rollout.Status();
    }

    private async Task FollowAsync(Rollout rollout)
    {
        await rollout.RunAsync().ConfigureAwait(false);
        var status = await rollout.Completion.ConfigureAwait(false);
        lock (_lock)
        {
            if (_active.GetValueOrDefault(rollout.Service) == rollout)
            {
                _active.Remove(rollout.Service);
            }

            if (status.Phase != RolloutPhase.Detached)
            {
                _last[rollout.Service] = status;
            }

            if (status.Phase == RolloutPhase.Warm && !_stopped)
            {
                KeepWarm(rollout.Service, rollout.StableRevision, rollout.StableVersion, rollout.Revision, rollout.Spec.Deploy.ScaleDownDelay, rollout.Spec.Deploy.Analysis);
            }
        }
    }
}
