using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http.Features;
using Slipway.Proxy.Forwarding;

namespace Slipway.Proxy.Edge;

/// <summary>
/// Kestrel's application: no middleware pipeline, no generic host. Reuses one
/// <see cref="ProxyContext"/> per connection (per stream in HTTP/2) through IHostContextContainer,
/// as ASP.NET Core's own HostingApplication reuses its HttpContext.
/// </summary>
internal sealed class ProxyApplication : IHttpApplication<ProxyContext>
{
    private readonly Forwarder _forwarder;
    private readonly TimeProvider _time;

    public ProxyApplication(Forwarder forwarder, TimeProvider time)
    {
        _forwarder = forwarder;
        _time = time;
    }

    public ProxyContext CreateContext(IFeatureCollection contextFeatures)
    {
        if (contextFeatures is IHostContextContainer<ProxyContext> container)
        {
            if (container.HostContext is { } reused)
            {
                reused.Initialize(contextFeatures);
                return reused;
            }

            var created = new ProxyContext(contextFeatures, _time);
            container.HostContext = created;
            return created;
        }

        return new ProxyContext(contextFeatures, _time);
    }

    private volatile bool _closing;

    /// <summary>
    /// Handing over to a successor: each HTTP/1.1 response says <c>Connection: close</c>, so a client ends its
    /// connection after the answer it is waiting for and opens the next one to the successor (which shares the
    /// listening socket), instead of racing a close of an idle connection.
    /// </summary>
    public void BeginClosing() => _closing = true;

    public Task ProcessRequestAsync(ProxyContext context)
    {
        if (_closing)
        {
            context.Http.Response.Headers.Connection = "close";
        }

        return _forwarder.ProcessAsync(context);
    }

    public void DisposeContext(ProxyContext context, Exception? exception) => context.Reset();
}
