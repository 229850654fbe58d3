using System.Net;

namespace Slipway.DemoApp;

/// <summary>
/// The HTTP server. Built on the empty builder: no configuration files (their
/// file watchers would cost each of many instances an inotify instance), no
/// logging providers, no HTTPS setup — only Kestrel, routing and WebSockets.
/// </summary>
internal static class HttpMode
{
    public static async Task RunAsync(DemoSettings settings, AppState state, JsonLog log, CancellationToken stop)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "demo-app" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // /echo streams bodies of any size; the default 30 MB cap would make big uploads fail.
            kestrel.Limits.MaxRequestBodySize = null;
            if (settings.Urls is null)
            {
                kestrel.Listen(IPAddress.Loopback, settings.Port ?? 0);
            }
        });
        if (settings.Urls is not null)
        {
            builder.WebHost.UseUrls(settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, SignalHostLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = settings.ShutdownTimeout);

        await using var app = builder.Build();
        var metrics = new DemoMetrics(state);
        var endpoints = new HttpEndpoints(settings, state, metrics, log, app.Lifetime.ApplicationStopping);
        using var gateway = new GatewayForwarder(settings.Forward, log);
        app.Use(new RequestPipeline(settings, state, metrics, log).InvokeAsync);
        if (settings.Forward.Count > 0)
        {
            app.Use(gateway.InvokeAsync);
        }

        app.UseWebSockets();
        endpoints.Map(app);

        await app.StartAsync(CancellationToken.None);
        var addresses = app.Urls.ToArray();
        log.Info(
            "listening",
            ("port", addresses.Length > 0 ? new Uri(addresses[0]).Port : settings.Port),
            ("urls", string.Join(';', addresses)),
            ("startupMs", state.Uptime.Elapsed));

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, state.Uptime.Clock, stop);
        }
        catch (OperationCanceledException)
        {
        }

        state.Stopping = true;
        // Stops accepting, lets in-flight requests finish within ShutdownTimeout, then aborts the rest.
        await app.StopAsync(CancellationToken.None);
    }
}
