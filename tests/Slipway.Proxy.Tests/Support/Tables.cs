using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Core.Routing;
using Slipway.Proxy.Endpoints;
using Slipway.Proxy.Health;
using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Routing;

namespace Slipway.Proxy.Tests.Support;

/// <summary>Routing tables and compiled tables for tests.</summary>
internal static class Tables
{
    private static long _generation;

    public static RouteModel Route(
        string name, string service, string? host = null, string path = "/", string[]? methods = null,
        Dictionary<string, string>? headers = null, RoutePolicy? policy = null) =>
        new(name, service, host, path, [.. methods ?? []],
            headers is null ? ImmutableDictionary<string, string>.Empty : headers.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase),
            policy ?? RoutePolicy.Default);

    public static ServiceModel Service(string name, ServicePolicy? policy, params RevisionModel[] revisions) =>
        new(name, [.. revisions], policy ?? ServicePolicy.Default);

    public static RevisionModel Revision(string name, int weight, params EndpointModel[] endpoints) =>
        new(name, weight, [.. endpoints]);

    public static EndpointModel Endpoint(string id, int port = 1, int weight = 1, string host = "127.0.0.1") =>
        new(id, host, port, weight);

    public static RoutingTable Table(IEnumerable<RouteModel> routes, params ServiceModel[] services) =>
        new(Interlocked.Increment(ref _generation), [.. routes], services.ToImmutableDictionary(s => s.Name));

    /// <summary>One catch-all route to one service with one revision "v1".</summary>
    public static RoutingTable Single(string service, ServicePolicy? policy, RoutePolicy? routePolicy, params EndpointModel[] endpoints) =>
        Table([Route(service + "#0", service, policy: routePolicy)], Service(service, policy, Revision("v1", 100, endpoints)));

    public static CompiledTable Compile(RoutingTable table, Random? random = null, TimeProvider? time = null)
    {
        var registry = new EndpointRegistry(PassiveHealthOptions.Default, time ?? TimeProvider.System);
        var compiler = new TableCompiler(registry, new LoadBalancingPolicies(random ?? new Random(1)), ProxyDefaults.Default, NullLogger.Instance);
        return compiler.Compile(table, new Dictionary<int, string>(), []);
    }
}
