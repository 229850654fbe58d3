using System.Collections.Immutable;
using Slipway.Control.Maintenance;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Routing;

namespace Slipway.Control.Routing;

/// <summary>
/// Builds the whole <see cref="RoutingTable"/> from the manifest (routes, policies), the ready endpoints and
/// the traffic weights per revision. Thread-safe; each <see cref="Compose"/> gets the next generation.
/// </summary>
/// <remarks>
/// Weights: with none set for a service, its current revision takes 100 and any other revision still holding
/// endpoints takes 0 (reachable by pin only). <see cref="SetWeights"/> is the seam for the rollout controller.
/// The current revision is also the policy's stable one: the canary shield retries a failed GET there.
/// A service with <c>deploy.previewHost</c> gets a copy of each of its routes on that host, reaching only the
/// preview revision (<see cref="SetPreview"/>).
/// </remarks>
internal sealed class RoutingComposer
{
    /// <summary>The revision name upstream endpoints are listed under: they are not versioned by Slipway.</summary>
    public const string UpstreamRevision = "upstream";

    private readonly LiveManifest _manifest;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableDictionary<string, int>> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _preview = new(StringComparer.Ordinal);
    private MaintenanceState _maintenance = MaintenanceState.None;
    private long _generation;

    public RoutingComposer(LiveManifest manifest) => _manifest = manifest;

    public void SetCurrentRevision(string service, string revision)
    {
        lock (_lock)
        {
            _current[service] = revision;
        }
    }

    /// <summary>Sets the traffic split of a service, revision → relative weight. Null returns to the default.</summary>
    public void SetWeights(string service, IReadOnlyDictionary<string, int>? weights)
    {
        lock (_lock)
        {
            if (weights is null)
            {
                _weights.Remove(service);
            }
            else
            {
                _weights[service] = weights.ToImmutableDictionary(StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The revision a service's <c>deploy.previewHost</c> reaches; null when no rollout runs.</summary>
    public void SetPreview(string service, string? revision)
    {
        lock (_lock)
        {
            if (revision is null)
            {
                _preview.Remove(service);
            }
            else
            {
                _preview[service] = revision;
            }
        }
    }

    /// <summary>What is in maintenance (<c>slipway maintenance on</c>); its services' requests are held, then answered with the page.</summary>
    public void SetMaintenance(MaintenanceState maintenance)
    {
        lock (_lock)
        {
            _maintenance = maintenance;
        }
    }

    /// <param name="sites">The static sites' ready revisions, by service and revision.</param>
    public RoutingTable Compose(IEnumerable<ReadyEndpoint> ready, IReadOnlyDictionary<(string Service, string Revision), StaticSiteModel>? sites = null)
    {
        sites ??= new Dictionary<(string, string), StaticSiteModel>();
        var byService = ready.GroupBy(e => e.Service, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        lock (_lock)
        {
            var routes = ImmutableArray.CreateBuilder<RouteModel>();
            var services = ImmutableDictionary.CreateBuilder<string, ServiceModel>(StringComparer.Ordinal);
            foreach (var (name, spec) in _manifest.Services.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                for (var i = 0; i < spec.Routes.Count; i++)
                {
                    routes.Add(ToRoute(name, i, spec.Routes[i], spec.Deploy));
                }

                // Always in the table, so the preview host answers 404 outside a rollout rather than falling through to a host-less route.
                if (spec.Deploy.PreviewHost is { } previewHost)
                {
                    for (var i = 0; i < spec.Routes.Count; i++)
                    {
                        var route = ToRoute(name, i, spec.Routes[i], spec.Deploy);
                        routes.Add(route with { Name = $"{route.Name}-preview", Host = previewHost, Policy = route.Policy with { Preview = true } });
                    }
                }

                var endpoints = byService.GetValueOrDefault(name) ?? [];
                services[name] = new ServiceModel(name, Revisions(name, spec, endpoints, sites), ToPolicy(spec) with
                {
                    StableRevision = spec.Upstream is null ? _current.GetValueOrDefault(name) : null,
                    CanaryShield = spec.Deploy.CanaryShield,
                    PreviewRevision = _preview.GetValueOrDefault(name),
                    Maintenance = _maintenance.For(name) is { } window ? Maintenance(window, spec) : null,
                });
            }

            return new RoutingTable(++_generation, routes.ToImmutable(), services.ToImmutable());
        }
    }

    // Under _lock.
    private ImmutableArray<RevisionModel> Revisions(string service, ServiceSpec spec, List<ReadyEndpoint> endpoints,
        IReadOnlyDictionary<(string Service, string Revision), StaticSiteModel> sites)
    {
        var names = new List<string>();
        if (spec.Upstream is not null)
        {
            names.Add(UpstreamRevision);
        }
        else if (_current.TryGetValue(service, out var current))
        {
            names.Add(current);
        }

        var weights = _weights.GetValueOrDefault(service);
        var served = sites.Keys.Where(k => k.Service == service).Select(k => k.Revision);
        names.AddRange(endpoints.Select(e => e.Revision).Concat(served).Concat(weights?.Keys ?? []).Where(r => !names.Contains(r)).Distinct().Order(StringComparer.Ordinal));
        var builder = ImmutableArray.CreateBuilder<RevisionModel>(names.Count);
        foreach (var revision in names)
        {
            var weight = weights is not null ? weights.GetValueOrDefault(revision) : revision == names[0] ? 100 : 0;
            var list = endpoints.Where(e => e.Revision == revision).Select(e => e.Endpoint).OrderBy(e => e.Id, StringComparer.Ordinal).ToImmutableArray();
            builder.Add(new RevisionModel(revision, weight, list) { Static = sites.GetValueOrDefault((service, revision)) });
        }

        return builder.MoveToImmutable();
    }

    /// <remarks>
    /// A canary with <c>deploy.sticky</c> gets cookie affinity on routes that name none: the proxy sets the cookie
    /// only while two revisions take traffic, so one client stays on one side of a rollout and nothing changes otherwise.
    /// </remarks>
    private static RouteModel ToRoute(string service, int index, RouteSpec route, DeploySpec deploy) => new(
        $"{service}#{index}",
        service,
        route.Host,
        route.Path,
        [.. route.Methods],
        route.Headers.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase),
        new RoutePolicy
        {
            WebSocket = route.Websocket,
            Affinity = route.Affinity switch
            {
                Affinity.Cookie => AffinityMode.Cookie,
                Affinity.ClientIp => AffinityMode.ClientIp,
                _ when deploy.Strategy == DeployStrategy.Canary && deploy.Sticky => AffinityMode.Cookie,
                _ => AffinityMode.None,
            },
            ConnectTimeout = route.Timeouts.Connect,
            FirstByteTimeout = route.Timeouts.FirstByte,
            IdleTimeout = route.Timeouts.Idle,
            RateLimit = route.RateLimit is { } limit
                ? new RateLimitModel(
                    limit.Rate.PerSecond,
                    limit.Burst ?? Math.Max(1, (int)Math.Ceiling(limit.Rate.PerSecond)),
                    limit.Key switch { "route" => RateLimitKey.Route, "client-ip" => RateLimitKey.ClientIp, _ => RateLimitKey.Header },
                    limit.KeyHeader)
                : null,
            Waf = route.Waf is { } waf
                ? new WafModel(waf.Mode, (int)waf.BodyLimit.Bytes, [.. waf.Allow.Select(a => new WafAllowModel(a.Rule, a.TargetKind, a.TargetName, a.Path))])
                : null,
            Allow = route.Allow is { } allow ? [.. allow] : default,
            Deny = [.. route.Deny],
        });

    /// <summary>The service's own health-check paths still pass, so whatever watches it from outside sees the truth.</summary>
    private static MaintenanceModel Maintenance(MaintenanceWindow window, ServiceSpec spec) => new(
        window.Hold,
        window.Page,
        window.PageType,
        [.. new[] { spec.Health.Startup, spec.Health.Readiness, spec.Health.Liveness }.Select(p => p?.Http).OfType<string>().Distinct(StringComparer.Ordinal)]);

    private static ServicePolicy ToPolicy(ServiceSpec spec) => new()
    {
        LoadBalancing = spec.LoadBalancing switch
        {
            LoadBalancing.LeastRequests => "least-requests",
            LoadBalancing.RoundRobin => "round-robin",
            LoadBalancing.Random => "random",
            LoadBalancing.IpHash => "ip-hash",
            _ => "power-of-two",
        },
        PreserveHost = spec.PreserveHost,
        MaxAttempts = spec.Retries.Attempts,
        RetryBudget = spec.Retries.Budget.Fraction,
        MaxInFlight = spec.MaxInFlight,
        Allow = spec.Allow is { } allow ? [.. allow] : default,
        Deny = [.. spec.Deny],
    };
}
