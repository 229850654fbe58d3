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

    public Task ProcessRequestAsync(ProxyContext context) => _forwarder.ProcessAsync(context);

    public void DisposeContext(ProxyContext context, Exception? exception) => context.Reset();
}
