using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Slipway.Proxy.Routing;

namespace Slipway.Proxy.Forwarding;

internal sealed partial class Forwarder
{
    /// <summary>How long a client has to answer the proxy's Close frame before the tunnel is cut.</summary>
    private static readonly TimeSpan WebSocketCloseTimeout = TimeSpan.FromSeconds(10);

    private static bool IsWebSocketUpgrade(DefaultHttpContext http)
    {
        if (http.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true })
        {
            return false;
        }

        var upgrade = http.Request.Headers[HeaderNames.Upgrade];
        for (var i = 0; i < upgrade.Count; i++)
        {
            if (upgrade[i] is { } value && value.Contains("websocket", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// HTTP/1.1 Upgrade to the backend; on 101 the client connection is upgraded too and bytes
    /// flow both ways until one side closes. Anything else is forwarded as a plain response.
    /// </summary>
    private async Task<AttemptOutcome> ForwardWebSocketAsync(
        ProxyContext context, CompiledRoute route, CompiledService service, CompiledEndpoint endpoint)
    {
        var message = CreateRequest(context, route, service, endpoint, content: null, upgrade: true);
        HttpResponseMessage response;
        context.ArmTimeout(route.FirstByteTimeout);
        try
        {
            response = await _client.SendAsync(message, context.BackendToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
        {
            var outcome = Classify(context, exception);
            if (outcome != AttemptOutcome.ClientAborted)
            {
                ReportHealth(service, endpoint, failed: true);
                Log.AttemptFailed(_logger, endpoint.Id, outcome.ToString(), 1, exception);
            }

            return outcome;
        }

        using (response)
        {
            ReportHealth(service, endpoint, failed: false);
            if (response.StatusCode != HttpStatusCode.SwitchingProtocols)
            {
                await CopyResponseAsync(context, route, endpoint, response, setAffinityCookie: false).ConfigureAwait(false);
                return AttemptOutcome.Forwarded;
            }

            // The tunnel outlives the first-byte timeout; it keeps its own idle timer.
            context.ArmTimeout(Timeout.InfiniteTimeSpan);
            var http = context.Http;
            http.Response.StatusCode = StatusCodes.Status101SwitchingProtocols;
            context.StatusCode = StatusCodes.Status101SwitchingProtocols;
            CopyHeaders(response.Headers, http.Response.Headers, upgraded: true);
            var backend = await response.Content.ReadAsStreamAsync(context.BackendToken).ConfigureAwait(false);
            await using (backend.ConfigureAwait(false))
            {
                var client = await http.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync().ConfigureAwait(false);
                var tunnel = new WebSocketTunnel(client, backend, route.IdleTimeout, WebSocketCloseTimeout, _time);
                endpoint.State.Track(tunnel);
                try
                {
                    var reason = await tunnel.RunAsync(http.RequestAborted).ConfigureAwait(false);
                    Log.WebSocketEnded(_logger, endpoint.Id, reason);
                }
                finally
                {
                    endpoint.State.Untrack(tunnel);
                    context.RequestBytes = tunnel.BytesToBackend;
                    context.ResponseBytes = tunnel.BytesToClient;
                }
            }

            return AttemptOutcome.Forwarded;
        }
    }
}
