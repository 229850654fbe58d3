using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Slipway.Bench.ProxyHost;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Routing;
using Slipway.Proxy;

// bench/ProxyHost: the proxy with a static table, one service whose endpoints are the given upstreams.
//   dotnet Slipway.Bench.ProxyHost.dll --listen http://127.0.0.1:14010 --upstream 127.0.0.1:14001 [--inline] [--direct | --kestrel-transport] [--socket-receives] [--one-lane] [--engine general] [--max-in-flight N] [--alloc-profile]
// SIGHUP marks the end of warm-up: the figures printed at exit then also cover only what came after.
// --alloc-profile adds the types that allocated most after the mark (sampled GC allocation ticks).
var listen = new List<string>();
var upstreams = new List<string>();
var inline = false;
var direct = true;
var readiness = true;
var lanes = true;
var maxInFlight = 0;
var engine = ProxyEngine.Auto;
var verbose = false;
var profile = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--listen":
            listen.Add(args[++i]);
            break;
        case "--upstream":
            upstreams.Add(args[++i]);
            break;
        case "--inline":
            // Kestrel's inline scheduling is its socket transport's.
            inline = true;
            direct = false;
            break;
        case "--direct":
            direct = true;
            break;
        case "--kestrel-transport":
            direct = false;
            break;
        case "--socket-receives":
            readiness = false;
            break;
        case "--one-lane":
            // One stack of idle backend connections, spread over the engine's threads (ProxyServerOptions.BackendLanes off).
            lanes = false;
            break;
        case "--max-in-flight":
            maxInFlight = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--engine":
            engine = args[++i] == "general" ? ProxyEngine.General : ProxyEngine.Auto;
            break;
        case "--verbose":
            verbose = true;
            break;
        case "--alloc-profile":
            profile = true;
            break;
        default:
            Console.Error.WriteLine($"proxy-host: unknown argument '{args[i]}'");
            return 2;
    }
}

if (listen.Count == 0 || upstreams.Count == 0)
{
    Console.Error.WriteLine("usage: proxy-host --listen http://127.0.0.1:14010 --upstream 127.0.0.1:14001 [--inline] [--direct | --kestrel-transport] [--socket-receives] [--one-lane] [--engine general] [--max-in-flight N] [--alloc-profile]");
    return 2;
}

var endpoints = upstreams.Select((u, n) =>
{
    var colon = u.LastIndexOf(':');
    return new EndpointModel($"origin-{n}", u[..colon], int.Parse(u[(colon + 1)..], CultureInfo.InvariantCulture));
}).ToImmutableArray();
var service = new ServiceModel("origin", [new RevisionModel("1", 100, endpoints)], ServicePolicy.Default with { MaxInFlight = maxInFlight });
var table = new RoutingTable(
    1,
    [new RouteModel("origin#0", "origin", null, "/", [], ImmutableDictionary<string, string>.Empty, RoutePolicy.Default)],
    ImmutableDictionary<string, ServiceModel>.Empty.Add("origin", service));

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning));
await using var proxy = new ProxyServer(new ProxyServerOptions { Listen = listen, InlineScheduling = inline, DirectTransport = direct, ReadinessReceives = readiness, BackendLanes = lanes, Engine = engine, LoggerFactory = loggerFactory });
proxy.Publisher.Publish(table);
await proxy.StartAsync();
Console.WriteLine($"proxy-host: listening on {string.Join(", ", proxy.EdgeEndpoints)}");

using var sampler = profile ? new AllocationSampler() : null;
long markRequests = 0;
long markAllocated = 0;
using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
{
    c.Cancel = true;
    markRequests = proxy.Counters.Requests;
    markAllocated = GC.GetTotalAllocatedBytes(precise: true);
    sampler?.Start();
});
var stop = new TaskCompletionSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
await stop.Task;
await proxy.StopAsync();

// What the request path costs in garbage, for bench/proxy.sh to print.
var requests = proxy.Counters.Requests;
var allocated = GC.GetTotalAllocatedBytes(precise: true);
Console.WriteLine(
    $"proxy-host: {requests} requests ({proxy.Counters.FastPath} on the fast path), {allocated / 1024 / 1024} MB allocated in all ({(requests > 0 ? allocated / requests : 0)} B/request), " +
    $"GCs gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms");
if (markRequests > 0 && requests > markRequests)
{
    Console.WriteLine(
        $"proxy-host: after warm-up {requests - markRequests} requests, {(allocated - markAllocated) / (requests - markRequests)} B/request");
    foreach (var (type, bytes) in sampler?.Top(25) ?? [])
    {
        Console.WriteLine($"proxy-host:   {bytes / (requests - markRequests),6} B/request  {type}");
    }
}

return 0;
