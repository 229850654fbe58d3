using Slipway.Control.Events;
using Slipway.Control.Rollouts;
using Slipway.Control.Routing;
using Slipway.Control.Runtime;
using Slipway.Control.Secrets;
using Slipway.Control.Supervision;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Apply;

/// <summary>
/// <c>slipway apply</c>: plans a new manifest against what runs, then carries the plan out — services started
/// and stopped, settings swapped in with the routing table, replicas scaled, and changed revisions rolled out
/// with each service's own strategy. One apply at a time.
/// </summary>
/// <remarks>
/// Everything that could refuse (a plan that changed since it was shown, a rollout in the way, a closed deploy
/// window, a missing secret) is checked before anything changes, so a refused apply changes nothing.
/// </remarks>
internal sealed class ManifestApplier
{
    private readonly LiveManifest _live;
    private readonly Supervisor _supervisor;
    private readonly TrafficPublisher _traffic;
    private readonly RolloutController _rollouts;
    private readonly SecretStore? _secrets;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _applying = new(1, 1);

    public ManifestApplier(LiveManifest live, Supervisor supervisor, TrafficPublisher traffic, RolloutController rollouts, SecretStore? secrets, TimeProvider time, string manifestDirectory)
    {
        ManifestDirectory = manifestDirectory;
        _live = live;
        _supervisor = supervisor;
        _traffic = traffic;
        _rollouts = rollouts;
        _secrets = secrets;
        _time = time;
    }

    /// <summary>Where the running manifest lives: relative paths in an applied manifest resolve from here, as they did at start.</summary>
    public string ManifestDirectory { get; }

    public ApplyPlan Plan(AppManifest next, bool keepVersions = false) => ApplyPlanner.Plan(Running(), next, keepVersions);

    /// <param name="fingerprint">The plan the caller was shown; null to apply whatever the plan is now.</param>
    /// <param name="force">Abort rollouts in the way and deploy outside deploy windows.</param>
    /// <param name="allowed">The caller's role: a plan that needs more is refused, naming what needs it.</param>
    /// <exception cref="RolloutRefusedException">
    /// The caller may not make these changes, the plan changed, or a rollout, window or secret stands in the way; nothing was changed.
    /// </exception>
    public async Task<ApplyOutcome> ApplyAsync(AppManifest next, string? fingerprint, bool force, string by, string reason, ApplyRole allowed, bool keepVersions = false)
    {
        await _applying.WaitAsync().ConfigureAwait(false);
        try
        {
            var plan = Plan(next, keepVersions);
            if (allowed < ApplyPrivileges.Of(plan))
            {
                throw new RolloutRefusedException(RefusalKind.Forbidden,
                    $"this apply changes what only an admin may: {string.Join("; ", ApplyPrivileges.AdminChanges(plan))} "
                    + "(a deployer may change versions, replicas, and how rollouts, restarts and HTTP/TCP probes behave)");
            }

            if (fingerprint is not null && fingerprint != plan.Fingerprint)
            {
                throw new RolloutRefusedException(RefusalKind.Conflict, "what runs changed since this plan was made; run `slipway apply` again to see the new plan");
            }

            Check(plan, force);
            var done = new List<string>();
            _live.Replace(plan.Effective);
            _traffic.Publish();
            foreach (var action in plan.Actions)
            {
                var line = await CarryOutAsync(action, plan.Effective, force, by, reason).ConfigureAwait(false);
                if (line is not null)
                {
                    done.Add($"{action.Target}: {line}");
                }
            }

            return new ApplyOutcome(plan, done);
        }
        finally
        {
            _applying.Release();
        }
    }

    private async Task<string?> CarryOutAsync(ApplyAction action, AppManifest effective, bool force, string by, string reason)
    {
        var name = action.Target;
        switch (action.Kind)
        {
            case ApplyActionKind.Stop:
                await _supervisor.RemoveServiceAsync(name).ConfigureAwait(false);
                return "stopped and removed";
            case ApplyActionKind.Start:
                await _supervisor.AddServiceAsync(name, by).ConfigureAwait(false);
                return "started";
            case ApplyActionKind.Update when action.Fields.Any(f => f.Path.StartsWith("upstream", StringComparison.Ordinal)):
                await _supervisor.ReplaceUpstreamAsync(name).ConfigureAwait(false);
                return "updated; upstream endpoints re-read";
            case ApplyActionKind.Update:
                _supervisor.Journal.Record(name, null, EventKinds.Updated, action.Detail);
                return "updated";
            case ApplyActionKind.Scale:
                var spec = effective.Services[name];
                await _supervisor.ScaleAsync(name, spec.Replicas).ConfigureAwait(false);
                return $"scaled to {spec.Replicas}";
            case ApplyActionKind.Deploy:
                var target = effective.Services[name];
                var replicasChanged = action.Fields.Any(f => f.Path == "replicas");
                var status = await _rollouts.DeployAsync(new RolloutRequest(name, target.Version ?? "1", force, reason, by)
                {
                    Spec = target,
                    Replicas = replicasChanged ? target.Replicas : null,
                }).ConfigureAwait(false);
                return $"revision {status.Revision} rolling out ({ScalarParsers.EnumName(status.Strategy)})";
            default:
                return null;
        }
    }

    private void Check(ApplyPlan plan, bool force)
    {
        var now = _time.GetUtcNow();
        foreach (var action in plan.Actions.Where(a => a.Kind is ApplyActionKind.Deploy or ApplyActionKind.Scale or ApplyActionKind.Stop))
        {
            if (!force && _rollouts.Active().FirstOrDefault(r => r.Service == action.Target) is { } running)
            {
                throw new RolloutRefusedException(RefusalKind.Conflict,
                    $"a rollout of {action.Target} is running (revision {running.Revision}, {ScalarParsers.EnumName(running.Phase)}); wait for it, `slipway abort {action.Target}`, or apply with --force");
            }
        }

        foreach (var action in plan.Actions.Where(a => a.Kind is ApplyActionKind.Deploy or ApplyActionKind.Start))
        {
            var spec = plan.Effective.Services[action.Target];
            if (action.Kind == ApplyActionKind.Deploy && !force && DeployGate.Refusal(spec.Deploy, now) is { } closed)
            {
                throw new RolloutRefusedException(RefusalKind.Conflict, $"{action.Target}: {closed}");
            }

            if (spec.Run?.Secrets.FirstOrDefault(s => _secrets?.Contains(s) != true) is { } missing)
            {
                throw new RolloutRefusedException(RefusalKind.Conflict, new SecretMissingException(action.Target, missing).Message);
            }
        }
    }

    /// <summary>The running manifest with each run service's revision fields and version as its current revision has them.</summary>
    private AppManifest Running()
    {
        var live = _live.Current;
        return live with
        {
            Services = live.Services.ToDictionary(
                s => s.Key,
                s => !s.Value.HasRevisions ? s.Value : s.Value.WithRevisionFieldsOf(_supervisor.RunningSpec(s.Key)) with { Version = _traffic.Current(s.Key).Version },
                StringComparer.Ordinal),
        };
    }
}
