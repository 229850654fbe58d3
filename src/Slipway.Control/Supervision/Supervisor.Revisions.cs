using Slipway.Control.Routing;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Manifest.Snapshot;

namespace Slipway.Control.Supervision;

/// <summary>
/// Several revisions of one service side by side, for rollouts: start, scale and stop a revision's instances and
/// read their readiness. Which one is current, and the split, is the <see cref="TrafficPublisher"/>'s.
/// </summary>
internal sealed partial class Supervisor
{
    /// <summary>Every revision with instances wanted, the current one first.</summary>
    public IReadOnlyList<RevisionState> Revisions(string service)
    {
        var current = _traffic.TryGetCurrent(service, out var known) ? known.Revision : null;
        lock (_lock)
        {
            return [.. _controllers.Where(c => c.Service == service)
                .GroupBy(c => c.Revision, StringComparer.Ordinal)
                .Select(g =>
                {
                    var snapshots = g.Select(c => c.Snapshot()).ToList();
                    return new RevisionState(g.Key, g.First().Version, g.Key == current, snapshots.Count, snapshots.Count(s => s.Ready), snapshots.Count(s => s.CrashLooping));
                })
                .OrderByDescending(r => r.Current)
                .ThenBy(r => r.Revision, StringComparer.Ordinal)];
        }
    }

    /// <summary>Runs <paramref name="replicas"/> instances of a revision beside the others (adds to any it has already).</summary>
    public Task StartRevisionAsync(string service, string revision, string version, int replicas) =>
        ScaleRevisionCoreAsync(service, revision, version, replicas);

    /// <summary>Sets how many instances of a running revision there are; the ones removed are drained, then stopped.</summary>
    public Task ScaleRevisionAsync(string service, string revision, int replicas)
    {
        string version;
        lock (_lock)
        {
            version = _controllers.FirstOrDefault(c => c.Service == service && c.Revision == revision)?.Version
                ?? _context.Store?.Revision(service, revision)?.Version
                ?? throw new InvalidOperationException($"{service} has no revision {revision}");
        }

        return ScaleRevisionCoreAsync(service, revision, version, replicas);
    }

    /// <summary>Drains and stops every instance of a revision, all at once, and forgets it.</summary>
    public Task StopRevisionAsync(string service, string revision) => ScaleRevisionCoreAsync(service, revision, "", 0, forget: true);

    public IReadOnlyList<int> ReadyPorts(string service, string revision)
    {
        lock (_lock)
        {
            return [.. _controllers.Where(c => c.Service == service && c.Revision == revision).Select(c => c.Snapshot()).Where(s => s.Ready).Select(s => s.Port)];
        }
    }

    /// <summary>The spec the current revision's instances run with (the base <c>slipway apply</c> diffs against).</summary>
    public ServiceSpec RunningSpec(string service)
    {
        var current = _traffic.Current(service).Revision;
        lock (_lock)
        {
            return SpecFor(service, current);
        }
    }

    /// <summary>
    /// The spec a revision's instances run with: the one stored with the revision (so a rollback restores its
    /// spec too), else — a revision stored before specs were kept readable, or no store — the manifest's.
    /// </summary>
    /// <remarks>Called under <see cref="_lock"/>.</remarks>
    private ServiceSpec SpecFor(string service, string revision)
    {
        if (!_specs.TryGetValue((service, revision), out var spec))
        {
            spec = SpecSnapshot.TryRead(_context.Store?.Revision(service, revision)?.Spec, out var stored) ? stored : _manifest.Services[service];
            _specs[(service, revision)] = spec;
        }

        return spec;
    }

    /// <remarks>
    /// The desired count is saved before anything starts or stops: a save that fails (a full disk) throws
    /// <see cref="DiskFullException"/> with nothing changed, so what runs never differs from what a restart would run.
    /// </remarks>
    private async Task ScaleRevisionCoreAsync(string service, string revision, string version, int replicas, bool forget = false)
    {
        if (forget)
        {
            _context.Store?.ForgetDesiredReplicas(service, revision);
        }
        else
        {
            _context.Store?.SetDesiredReplicas(service, revision, replicas);
        }

        List<InstanceController> removed;
        lock (_lock)
        {
            var running = _controllers.Where(c => c.Service == service && c.Revision == revision).OrderBy(c => c.Slot).ToList();
            var used = running.Select(c => c.Slot).ToHashSet();
            for (var n = running.Count; n < replicas; n++)
            {
                var controller = new InstanceController(_context, service, SpecFor(service, revision), revision, version, FreeSlot(used), Setup(service), OnReadinessChanged);
                _controllers.Add(controller);
                StartRun(controller, null);
            }

            removed = [.. running.Skip(replicas)];
        }

        await Task.WhenAll(removed.Select(StopAndForgetAsync)).ConfigureAwait(false);
        Publish();
    }

    private async Task StopAndForgetAsync(InstanceController controller)
    {
        await StopRunAsync(controller).ConfigureAwait(false);
        lock (_lock)
        {
            _controllers.Remove(controller);
            _traffic.MarkNotReady(controller.Id);
        }
    }

    private static int FreeSlot(HashSet<int> used)
    {
        var slot = 0;
        while (!used.Add(slot))
        {
            slot++;
        }

        return slot;
    }

    /// <summary>
    /// At start: the stored current revision, unless <c>--version</c> asks for another version (a new numbered
    /// revision), or nothing is stored yet (revision 1 of the manifest's version).
    /// </summary>
    /// <remarks>
    /// A stored revision whose spec the manifest has since changed, with no live instance to adopt, is replaced here
    /// by a new revision of the same version (nothing runs, so nothing needs rolling out). With live instances it
    /// stays current, and the daemon rolls the change out once started.
    /// </remarks>
    private (string Revision, string Version) ChooseRevision(string service, ServiceSpec spec, DateTimeOffset now, List<InstanceRecord> active)
    {
        var store = _context.Store;
        var stored = store?.CurrentRevision(service);
        var requested = _context.Options.VersionOverrides.GetValueOrDefault(service);
        if (stored is not null && (requested is null || requested == stored.Version))
        {
            var edited = SpecSnapshot.TryRead(stored.Spec, out var ran)
                && !SpecSnapshot.Same(spec.WithRevisionFieldsOf(ran) with { Version = spec.Version }, spec);
            if (!edited || active.Any(r => r.Service == service && r.Revision == stored.Revision))
            {
                return (stored.Revision, stored.Version);
            }

            var replaced = store!.CreateRevision(service, stored.Version, SpecSnapshot.Write(spec with { Version = stored.Version }), "daemon",
                $"the manifest changed revision {stored.Revision}'s spec while the daemon was stopped", now);
            store.MakeCurrent(service, replaced.Revision);
            store.SetRevisionOutcome(service, replaced.Revision, RevisionOutcome.Started, now);
            if (store.DesiredReplicas(service).TryGetValue(stored.Revision, out var desired))
            {
                store.SetDesiredReplicas(service, replaced.Revision, desired);
                store.ForgetDesiredReplicas(service, stored.Revision);
            }

            return (replaced.Revision, replaced.Version);
        }

        var version = requested ?? spec.Version ?? "1";
        if (store is null)
        {
            return ("1", version);
        }

        var created = store.CreateRevision(service, version, SpecSnapshot.Write(spec), "daemon",
            stored is null ? "first start" : $"--version {service}={version} at start", now);
        store.MakeCurrent(service, created.Revision);
        store.SetRevisionOutcome(service, created.Revision, RevisionOutcome.Started, now);
        return (created.Revision, version);
    }

    /// <summary>Adds <paramref name="replicas"/> slots of a revision, reusing the slot numbers of its live instances so they are adopted.</summary>
    /// <remarks>Called under <see cref="_lock"/>.</remarks>
    private void AddSlots(string service, string revision, string version, int replicas, List<InstanceRecord> active)
    {
        var used = new HashSet<int>();
        var slots = active.Where(r => r.Service == service && r.Revision == revision).Select(r => r.Slot).Order().Take(replicas).ToList();
        used.UnionWith(slots);
        while (slots.Count < replicas)
        {
            slots.Add(FreeSlot(used));
        }

        foreach (var slot in slots)
        {
            _controllers.Add(new InstanceController(_context, service, SpecFor(service, revision), revision, version, slot, Setup(service), OnReadinessChanged));
        }
    }
}
