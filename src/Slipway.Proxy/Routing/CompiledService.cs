using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Endpoints;
using Slipway.Proxy.LoadBalancing;

namespace Slipway.Proxy.Routing;

/// <summary>A service as one table sees it: revisions, the weighted ones, its balancer and policy.</summary>
internal sealed class CompiledService
{
    public CompiledService(
        ServiceModel model,
        CompiledRevision[] revisions,
        ILoadBalancingPolicy balancer,
        ServiceRuntime runtime,
        ProxyDefaults defaults)
    {
        Model = model;
        Name = model.Name;
        Policy = model.Policy;
        Revisions = revisions;
        Balancer = balancer;
        Runtime = runtime;
        MaxAttempts = Math.Max(1, model.Policy.MaxAttempts);

        var weighted = new List<CompiledRevision>();
        foreach (var revision in revisions)
        {
            if (revision.Weight > 0 && revision.CanServe)
            {
                weighted.Add(revision);
            }
        }

        // Nothing weighted but something ready (say every weight is 0): serve rather than fail.
        if (weighted.Count == 0)
        {
            foreach (var revision in revisions)
            {
                if (revision.CanServe)
                {
                    weighted.Add(revision);
                    break;
                }
            }
        }

        Weighted = [.. weighted];
        WeightedCumulative = new int[Weighted.Length];
        var total = 0;
        for (var i = 0; i < Weighted.Length; i++)
        {
            total += Math.Max(1, Weighted[i].Weight);
            WeightedCumulative[i] = total;
        }

        TotalWeight = total;
        if (model.Policy.StableRevision is { } stable)
        {
            Stable = FindRevision(stable);
        }

        if (model.Policy.PreviewRevision is { } preview)
        {
            Preview = FindRevision(preview);
        }

        InternalRoute = new CompiledRoute(
            new RouteModel(
                "internal:" + model.Name,
                model.Name,
                null,
                "/",
                [],
                System.Collections.Immutable.ImmutableDictionary<string, string>.Empty,
                RoutePolicy.Default),
            this,
            defaults,
            // Service-to-service traffic is not edge traffic: no allow lists or rate limits, but a service in
            // maintenance is in maintenance for its neighbours too.
            EdgePipeline.Of(null, model.Policy.Maintenance is { } maintenance ? new MaintenanceStep(maintenance, runtime.Maintenance) : null, null, null));
    }

    public ServiceModel Model { get; }

    public string Name { get; }

    public ServicePolicy Policy { get; }

    public int MaxAttempts { get; }

    public CompiledRevision[] Revisions { get; }

    /// <summary>Revisions that take unpinned traffic: weight above 0 and at least one ready endpoint (or a static site).</summary>
    public CompiledRevision[] Weighted { get; }

    public int[] WeightedCumulative { get; }

    public int TotalWeight { get; }

    public ILoadBalancingPolicy Balancer { get; }

    public ServiceRuntime Runtime { get; }

    /// <summary>The canary shield's fallback, when a rollout names one that has endpoints.</summary>
    public CompiledRevision? Stable { get; }

    /// <summary>The rollout's new revision, when it has a ready endpoint: what the preview host's routes reach.</summary>
    public CompiledRevision? Preview { get; }

    /// <summary>What a service-to-service listener routes by: the whole service, default policy.</summary>
    public CompiledRoute InternalRoute { get; }

    /// <summary>The revision with that name and at least one ready endpoint; pins reach weight-0 revisions too.</summary>
    public CompiledRevision? FindRevision(ReadOnlySpan<char> name)
    {
        foreach (var revision in Revisions)
        {
            if (revision.CanServe && name.Equals(revision.Name, StringComparison.Ordinal))
            {
                return revision;
            }
        }

        return null;
    }

    /// <summary>A weighted revision for a number in [0, TotalWeight).</summary>
    public CompiledRevision? WeightedRevision(int point)
    {
        var cumulative = WeightedCumulative;
        for (var i = 0; i < cumulative.Length; i++)
        {
            if (point < cumulative[i])
            {
                return Weighted[i];
            }
        }

        return Weighted.Length > 0 ? Weighted[^1] : null;
    }
}
