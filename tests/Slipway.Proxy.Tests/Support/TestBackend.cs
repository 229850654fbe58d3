using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Core.Routing;

namespace Slipway.Proxy.Tests.Support;

/// <summary>An in-process Kestrel backend on 127.0.0.1, port 0, running the handler a test gives it.</summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private TestBackend(string id, WebApplication app)
    {
        Id = id;
        _app = app;
    }

    public string Id { get; }

    public int Port { get; private set; }

    /// <summary>Requests that reached this backend's handler.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public EndpointModel Endpoint(int weight = 1) => new(Id, "127.0.0.1", Port, weight);

    public static async Task<TestBackend> StartAsync(string id, RequestDelegate handler, bool webSockets = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var backend = new TestBackend(id, app);
        if (webSockets)
        {
            app.UseWebSockets();
        }

        app.Run(context =>
        {
            Interlocked.Increment(ref backend._requests);
            return handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    /// <summary>Answers 200 with its id as the body.</summary>
    public static Task<TestBackend> StartNamedAsync(string id) =>
        StartAsync(id, context => context.Response.WriteAsync(id));

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Open test connections are cut; that is fine here.
        }

        await _app.DisposeAsync();
    }
}
