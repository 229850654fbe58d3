using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;
using Slipway.Server.Dashboard;

namespace Slipway.Server.Api;

/// <summary>
/// The control API on its own Kestrel listener, apart from the edge proxy: a slow or flooded public listener
/// must not lock operators out, and the API is loopback-only by default.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// <c>&lt;state-dir&gt;/api.url</c>: where this daemon's API listens, written once it does and removed at a clean stop,
    /// so a client given the state directory (or the manifest beside it) finds it on any port.
    /// </summary>
    public const string AddressFile = "api.url";

    private readonly string? _boundAddress;

    private ApiHost(WebApplication app, string? boundAddress)
    {
        _app = app;
        _boundAddress = boundAddress;
    }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:7700</c> (the real port when 0 was asked for).</summary>
    public string Address => _boundAddress
        ?? _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";

    /// <summary>Every endpoint the app mapped: what the OpenAPI tests compare the document with.</summary>
    public IEnumerable<Microsoft.AspNetCore.Http.Endpoint> Endpoints => ((IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints);

    /// <param name="bound">A socket the daemon bound already (Kestrel gets this fd and owns it); null to bind <paramref name="listen"/>.</param>
    public static async Task<ApiHost> StartAsync(ApiContext api, HostPort listen, ILoggerFactory loggers, AuthFailureLimiter limiter, (int Fd, IPEndPoint EndPoint)? bound = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            // No endpoint takes more (BodyLimitMiddleware holds each to its own); a body a request does not read is
            // drained only this far before the connection is closed.
            kestrel.Limits.MaxRequestBodySize = BodyLimit.Large.Bytes;
            if (bound is { } socket)
            {
                kestrel.ListenHandle((ulong)socket.Fd);
            }
            else if (listen.Host == "localhost")
            {
                kestrel.ListenLocalhost(listen.Port);
            }
            else
            {
                kestrel.Listen(listen.Host is "*" or "0.0.0.0" ? IPAddress.Any : IPAddress.Parse(listen.Host), listen.Port);
            }
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddProblemDetails();
        builder.Services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        ApiDocument.AddTo(builder.Services);
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(loggers);
        var app = builder.Build();
        var host = new ApiHost(app, bound is { } b ? $"http://{b.EndPoint}" : null);
        var logger = loggers.CreateLogger("Slipway.Api");
        app.UseMiddleware<AuditMiddleware>(api.Audit, logger);
        app.UseRouting();
        var sessions = new SessionStore(api.StateDirectory, api.Time);
        app.UseMiddleware<AuthMiddleware>(api.Tokens, sessions, limiter, logger);
        app.UseMiddleware<BodyLimitMiddleware>();
        app.UseMiddleware<DiskRoomMiddleware>(api.Store.Disk);
        ApiEndpoints.Map(app, api, host._stopping.Token);
        ApiEndpoints.MapSession(app, api, sessions, limiter);
        DashboardEndpoints.Map(app, DashboardAssets.Embedded);
        await app.StartAsync().ConfigureAwait(false);
        ApiLog.Listening(logger, host.Address);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
