using Slipway.Control.Analysis;
using Slipway.Control.Events;
using Slipway.Control.Rollouts.Strategies;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Rollouts;

/// <summary>
/// One rollout of one service: a new revision brought in beside the stable one by its strategy, judged, then
/// promoted or sent back. One loop per rollout, driven by the injected clock; commands (promote, pause, abort,
/// rollback) set a flag and wake the loop. State is written by the loop and read through <see cref="Status"/>.
/// </summary>
internal sealed partial class Rollout
{
    private readonly RolloutContext _context;
    private readonly IRolloutStrategy _strategy;
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource<RolloutStatus> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private TaskCompletionSource _nudge = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RolloutPhase _phase = RolloutPhase.Starting;
    private int _step;
    private bool _paused;
    private bool _promote;
    private bool _smoked;
    private bool _undoable;
    private RolloutEnd? _requestedEnd;
    private IReadOnlyDictionary<string, int> _weights;
    private AnalysisResult? _lastAnalysis;
    private int _consecutiveFailures;
    private RolloutEnd? _end;
    private DateTimeOffset? _finished;
    private int _replicas;
    private int? _resizeTo;

    public Rollout(RolloutContext context, string service, ServiceSpec spec, RevisionRecord revision, IRolloutStrategy strategy,
        (string Revision, string Version) stable, int replicas, DateTimeOffset started)
    {
        _context = context;
        _strategy = strategy;
        Service = service;
        Spec = spec;
        Revision = revision.Revision;
        Version = revision.Version;
        StableRevision = stable.Revision;
        StableVersion = stable.Version;
        _replicas = Math.Max(1, replicas);
        Started = started;
        _weights = new Dictionary<string, int>(StringComparer.Ordinal) { [StableRevision] = 100 };
    }

    public string Service { get; }

    public ServiceSpec Spec { get; }

    public string Revision { get; }

    public string Version { get; }

    public string StableRevision { get; }

    public string StableVersion { get; }

    public RolloutStrategy Strategy => _strategy.Name;

    /// <summary>True where <c>slipway promote</c> applies; the others promote themselves once every new instance is ready.</summary>
    public bool PromotedByCommand => _strategy.Traits.PromotedByCommand;

    /// <summary>
    /// Instances of the stable revision when the rollout began, or the total the autoscaler set since (<see cref="Resize"/>):
    /// how many the new one ends with, and how many stable gets back on the way back.
    /// </summary>
    public int Replicas
    {
        get
        {
            lock (_lock)
            {
                return _replicas;
            }
        }
    }

    public DateTimeOffset Started { get; }

    public DeploySpec Deploy => Spec.Deploy;

    /// <summary>Where the strategy starts, scales and stops the revisions' instances.</summary>
    public IRevisionHost Host => _context.Host;

    private ITrafficControl Traffic => _context.Traffic;

    /// <summary>Completes with the final status when the rollout has ended, however it ended.</summary>
    public Task<RolloutStatus> Completion => _done.Task;

    public bool Finished => _done.Task.IsCompleted;

    public RolloutStatus Status()
    {
        lock (_lock)
        {
            var message = _end?.Message
                ?? (_holding ? $"held at {_weights.GetValueOrDefault(Revision)}% until an analysis passes: {HoldReason()}" : null);
            return new RolloutStatus(Service, Revision, Version, StableRevision, Strategy, _phase, _step,
                _strategy.Steps(Deploy), _paused, _weights, Started, _lastAnalysis, _consecutiveFailures,
                _end?.Outcome, message, _finished);
        }
    }

    /// <summary>Skip the remaining steps (or the wait for a manual promotion) and promote.</summary>
    public void Promote() => Signal(() => _promote = true);

    public void Pause() => Signal(() => _paused = true);

    public void Resume() => Signal(() => _paused = false);

    /// <summary>Ends the rollout with traffic back on the stable revision; <paramref name="end"/> says how it is recorded.</summary>
    public void End(RolloutEnd end) => Signal(() => _requestedEnd ??= end);

    /// <summary>Stops the loop without ending the rollout (the daemon is stopping; the next start finds it in the store).</summary>
    public void Detach() => _cancel.Cancel();

    public async Task RunAsync()
    {
        try
        {
            Record(EventKinds.RolloutStarted, $"revision {Revision} (version {Version}) replacing revision {StableRevision} (version {StableVersion}), {ScalarParsers.EnumName(Strategy)}, {Replicas} replicas");
            await RunHooksBeforeAsync().ConfigureAwait(false);
            if (Deploy.PreviewHost is not null)
            {
                // Reachable there as soon as an instance is ready; the pin header works with or without it.
                Traffic.SetPreview(Service, Revision);
            }

            await _strategy.RunAsync(this).ConfigureAwait(false);
        }
        catch (RolloutEndedException e)
        {
            await BackToStableAsync(e.End).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug or a store failure must not leave traffic split with nobody watching: back to stable.
            await BackToStableAsync(RolloutEnd.Failed($"the rollout failed unexpectedly ({e.GetType().Name}: {e.Message})")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            // Detached: the daemon stops; the store keeps the rollout for the next start.
            lock (_lock)
            {
                _phase = RolloutPhase.Detached;
            }
        }

        _done.TrySetResult(Status());
    }

    /// <summary>Throws when a command asked the rollout to end, or the daemon stops.</summary>
    private void CheckCommands()
    {
        _cancel.Token.ThrowIfCancellationRequested();
        RolloutEnd? end;
        lock (_lock)
        {
            end = _requestedEnd;
        }

        if (end is not null)
        {
            throw new RolloutEndedException(end);
        }
    }

    public bool PromoteRequested()
    {
        lock (_lock)
        {
            return _promote;
        }
    }

    private bool Paused()
    {
        lock (_lock)
        {
            return _paused;
        }
    }

    /// <summary>Waits <paramref name="duration"/>, or less when a command arrives; then applies it.</summary>
    public async Task WaitAsync(TimeSpan duration)
    {
        Task nudge;
        lock (_lock)
        {
            nudge = _nudge.Task;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
        var delay = Task.Delay(duration, _context.Time, wait.Token);
        await Task.WhenAny(delay, nudge).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        CheckCommands();
    }

    /// <summary>Holds while paused by <c>slipway pause</c>.</summary>
    public async Task WhilePausedAsync()
    {
        CheckCommands();
        if (!Paused())
        {
            return;
        }

        SetPhase(RolloutPhase.Paused);
        while (Paused())
        {
            await WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
    }

    private void Signal(Action change)
    {
        TaskCompletionSource woken;
        lock (_lock)
        {
            change();
            woken = _nudge;
            _nudge = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.TrySetResult();
    }

    private void Save()
    {
        RolloutRecord record;
        lock (_lock)
        {
            record = new RolloutRecord(Service, Revision, Version, StableRevision, Strategy, _phase, _step, _paused, Started, _context.Time.GetUtcNow());
        }

        _context.Store.SaveRollout(record);
    }
}
