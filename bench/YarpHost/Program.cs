using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Forwarder;

// bench/YarpHost: YARP's direct forwarding (IHttpForwarder) to one origin, for comparison with Slipway's forwarder.
//   dotnet Slipway.Bench.YarpHost.dll --listen 127.0.0.1:14012 --upstream 127.0.0.1:14001
// Prints bytes allocated per request at exit, as bench/ProxyHost does.
string? listen = null;
string? upstream = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--listen": listen = args[i + 1]; break;
        case "--upstream": upstream = args[i + 1]; break;
        default:
            Console.Error.WriteLine($"yarp-host: unknown argument '{args[i]}'");
            return 2;
    }
}

if (listen is null || upstream is null)
{
    Console.Error.WriteLine("usage: yarp-host --listen 127.0.0.1:14012 --upstream 127.0.0.1:14001");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Services.AddHttpForwarder();
builder.WebHost.ConfigureKestrel(k =>
{
    k.Listen(IPEndPoint.Parse(listen), l => l.Protocols = HttpProtocols.Http1);
    k.AddServerHeader = false;
});
var app = builder.Build();

// The client YARP's docs recommend for direct forwarding: no proxy, no redirects, no decompression, no cookies.
using var client = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    EnableMultipleHttp2Connections = true,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(15),
});
var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(100) };
var prefix = $"http://{upstream}/";
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
long requests = 0;
app.Map("/{**catch-all}", async (HttpContext context) =>
{
    Interlocked.Increment(ref requests);
    var error = await forwarder.SendAsync(context, prefix, client, config, HttpTransformer.Default);
    if (error != ForwarderError.None && !context.Response.HasStarted)
    {
        context.Response.StatusCode = StatusCodes.Status502BadGateway;
    }
});

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"yarp-host: listening on {listen}, forwarding to {upstream}"));
await app.RunAsync(); // until SIGTERM or Ctrl-C
var allocated = GC.GetTotalAllocatedBytes(precise: true);
Console.WriteLine($"yarp-host: {requests} requests, {(requests > 0 ? allocated / requests : 0)} B/request in all (start-up included)");
return 0;
