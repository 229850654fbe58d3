using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Endpoints;
using Slipway.Proxy.Forwarding;
using Slipway.Proxy.LoadBalancing;

namespace Slipway.Proxy.Routing;

/// <summary>Turns a <see cref="RoutingTable"/> into a <see cref="CompiledTable"/>. Runs on publish, never per request.</summary>
internal sealed class TableCompiler
{
    private readonly EndpointRegistry _registry;
    private readonly LoadBalancingPolicies _balancers;
    private readonly ProxyDefaults _defaults;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ServiceRuntime> _runtimes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RateLimitStep> _rateLimits = new(StringComparer.Ordinal);

    public TableCompiler(EndpointRegistry registry, LoadBalancingPolicies balancers, ProxyDefaults defaults, ILogger logger)
    {
        _registry = registry;
        _balancers = balancers;
        _defaults = defaults;
        _logger = logger;
    }

    /// <summary>Compiles; <paramref name="liveEndpoints"/> receives every endpoint id the table holds.</summary>
    public CompiledTable Compile(RoutingTable table, IReadOnlyDictionary<int, string> internalPorts, HashSet<string> liveEndpoints)
    {
        var services = new Dictionary<string, CompiledService>(StringComparer.Ordinal);
        foreach (var (name, model) in table.Services)
        {
            services[name] = CompileService(model, liveEndpoints);
        }

        var exact = new Dictionary<string, List<CompiledRoute>>(StringComparer.OrdinalIgnoreCase);
        var wildcards = new Dictionary<string, List<CompiledRoute>>(StringComparer.OrdinalIgnoreCase);
        var anyHost = new List<CompiledRoute>();
        var limited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in table.Routes)
        {
            var service = services.GetValueOrDefault(model.Service);
            var route = new CompiledRoute(model, service, _defaults, CompileEdge(model, service, limited));
            var host = model.Host?.Trim();
            if (string.IsNullOrEmpty(host) || host == "*")
            {
                anyHost.Add(route);
            }
            else if (host.StartsWith("*.", StringComparison.Ordinal))
            {
                Add(wildcards, host[1..], route);
            }
            else
            {
                Add(exact, host.TrimEnd('.'), route);
            }
        }

        foreach (var gone in _rateLimits.Keys.Where(name => !limited.Contains(name)).ToList())
        {
            _rateLimits.Remove(gone);
        }

        var internalByPort = new Dictionary<int, CompiledService?>();
        foreach (var (port, service) in internalPorts)
        {
            internalByPort[port] = services.GetValueOrDefault(service);
        }

        return new CompiledTable(
            table,
            exact.ToFrozenDictionary(p => p.Key, p => Ordered(p.Value), StringComparer.OrdinalIgnoreCase),
            [.. wildcards.OrderByDescending(p => p.Key.Length).Select(p => new CompiledTable.WildcardGroup(p.Key, Ordered(p.Value)))],
            Ordered(anyHost),
            services.ToFrozenDictionary(StringComparer.Ordinal),
            internalByPort.ToFrozenDictionary());
    }

    /// <summary>Once <paramref name="table"/> is the current one: services out of maintenance release their held requests.</summary>
    /// <remarks>Entering maintenance happens in <see cref="Compile"/>, before the swap, so no request meets the new step before its gate.</remarks>
    public void Activate(CompiledTable table)
    {
        foreach (var (name, runtime) in _runtimes)
        {
            if (!table.Services.TryGetValue(name, out var service) || service.Policy.Maintenance is null)
            {
                runtime.Maintenance.Lift();
            }
        }
    }

    private EdgePipeline CompileEdge(RouteModel route, CompiledService? service, HashSet<string> limited)
    {
        var maintenance = service?.Policy.Maintenance is { } model ? new MaintenanceStep(model, service.Runtime.Maintenance) : null;
        RateLimitStep? rateLimit = null;
        if (route.Policy.RateLimit is { } limit)
        {
            // The buckets outlive the table (tables change on every readiness change) while the limit stays the same.
            if (!_rateLimits.TryGetValue(route.Name, out rateLimit) || rateLimit.Model != limit)
            {
                rateLimit = new RateLimitStep(route.Name, limit, new RateLimiter(limit.PerSecond, limit.Burst, _registry.Time.TimestampFrequency));
                _rateLimits[route.Name] = rateLimit;
            }

            limited.Add(route.Name);
        }

        var waf = route.Policy.Waf is { } wafModel ? new WafStep(route.Service, route.Name, wafModel, _logger) : null;
        return EdgePipeline.Of(AccessListStep.For(route.Policy, service?.Policy), maintenance, waf, rateLimit);
    }

    private CompiledService CompileService(ServiceModel model, HashSet<string> liveEndpoints)
    {
        if (!_runtimes.TryGetValue(model.Name, out var runtime))
        {
            runtime = new ServiceRuntime(model.Name, new RetryBudget(_registry.Time));
            _runtimes[model.Name] = runtime;
        }

        // The budget's counts outlive a table; its share follows the manifest.
        runtime.RetryBudget.Ratio = model.Policy.RetryBudget;
        if (model.Policy.Maintenance is not null)
        {
            runtime.Maintenance.Enter();
        }

        if (!_balancers.TryGet(model.Policy.LoadBalancing, out var balancer))
        {
            Log.UnknownBalancer(_logger, model.Name, model.Policy.LoadBalancing);
        }

        var revisions = new CompiledRevision[model.Revisions.Length];
        for (var r = 0; r < revisions.Length; r++)
        {
            var revision = model.Revisions[r];
            var endpoints = new CompiledEndpoint[revision.Endpoints.Length];
            for (var e = 0; e < endpoints.Length; e++)
            {
                var endpoint = revision.Endpoints[e];
                var state = _registry.GetOrAdd(endpoint.Id);
                state.Service = runtime;
                liveEndpoints.Add(endpoint.Id);
                endpoints[e] = new CompiledEndpoint(endpoint, e, state);
            }

            revisions[r] = new CompiledRevision(revision.Revision, revision.Weight, endpoints, revision.Static is { } site ? new Static.StaticSite(site) : null);
        }

        return new CompiledService(model, revisions, balancer, runtime, _defaults);
    }

    private static void Add(Dictionary<string, List<CompiledRoute>> groups, string key, CompiledRoute route)
    {
        if (!groups.TryGetValue(key, out var list))
        {
            list = [];
            groups[key] = list;
        }

        list.Add(route);
    }

    /// <summary>Most specific first; declaration order breaks ties (a stable sort).</summary>
    private static CompiledRoute[] Ordered(List<CompiledRoute> routes) =>
        [.. routes.Select((route, index) => (route, index))
            .OrderByDescending(p => p.route.Specificity)
            .ThenBy(p => p.index)
            .Select(p => p.route)];
}
