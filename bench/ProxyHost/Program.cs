using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Slipway.Core.Routing;
using Slipway.Proxy;

// bench/ProxyHost: the proxy with a static table, one service whose endpoints are the given upstreams.
//   dotnet Slipway.Bench.ProxyHost.dll --listen http://127.0.0.1:19010 --upstream 127.0.0.1:19001 [--inline]
var listen = new List<string>();
var upstreams = new List<string>();
var inline = false;
var verbose = false;
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
            inline = true;
            break;
        case "--verbose":
            verbose = true;
            break;
        default:
            Console.Error.WriteLine($"proxy-host: unknown argument '{args[i]}'");
            return 2;
    }
}

if (listen.Count == 0 || upstreams.Count == 0)
{
    Console.Error.WriteLine("usage: proxy-host --listen http://127.0.0.1:19010 --upstream 127.0.0.1:19001 [--inline]");
    return 2;
}

var endpoints = upstreams.Select((u, n) =>
{
    var colon = u.LastIndexOf(':');
    return new EndpointModel($"origin-{n}", u[..colon], int.Parse(u[(colon + 1)..], CultureInfo.InvariantCulture));
}).ToImmutableArray();
var service = new ServiceModel("origin", [new RevisionModel("1", 100, endpoints)], ServicePolicy.Default);
var table = new RoutingTable(
    1,
    [new RouteModel("origin#0", "origin", null, "/", [], ImmutableDictionary<string, string>.Empty, RoutePolicy.Default)],
    ImmutableDictionary<string, ServiceModel>.Empty.Add("origin", service));

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning));
await using var proxy = new ProxyServer(new ProxyServerOptions { Listen = listen, InlineScheduling = inline, LoggerFactory = loggerFactory });
proxy.Publisher.Publish(table);
await proxy.StartAsync();
Console.WriteLine($"proxy-host: listening on {string.Join(", ", proxy.EdgeEndpoints)}");

var stop = new TaskCompletionSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
await stop.Task;
await proxy.StopAsync();

// What the request path costs in garbage, for bench/proxy.sh to print.
var requests = proxy.Counters.Requests;
var allocated = GC.GetTotalAllocatedBytes(precise: true);
Console.WriteLine(
    $"proxy-host: {requests} requests, {allocated / 1024 / 1024} MB allocated in all ({(requests > 0 ? allocated / requests : 0)} B/request), " +
    $"GCs gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms");
return 0;
