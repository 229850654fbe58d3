using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Slipway.Proxy.Edge;

/// <summary>
/// <c>redirectHttp</c>: a request that reached a plain edge listener is answered 308 to the same host, path and query on
/// the HTTPS listener's port. ACME HTTP-01 challenges are not redirected (the CA asks over plain HTTP), and neither
/// is a request a trusted proxy says came over HTTPS. Service-to-service listeners never redirect.
/// </summary>
internal sealed class HttpsRedirect
{
    private int[] _plainPorts = [];
    private string _portSuffix = "";

    /// <summary>Called once the listeners are bound: the edge's plain ports, and the HTTPS port clients are sent to.</summary>
    public void Bind(IEnumerable<int> plainPorts, int httpsPort)
    {
        _portSuffix = httpsPort == 443 ? "" : ":" + httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _plainPorts = [.. plainPorts];
    }

    /// <summary>The Location to send this request to, or null when it is not redirected.</summary>
    public string? LocationFor(HttpContext http, bool https)
    {
        if (https || Array.IndexOf(_plainPorts, http.Connection.LocalPort) < 0)
        {
            return null;
        }

        var request = http.Request;
        var path = request.Path.Value ?? "/";
        if (path.StartsWith(MaintenanceStep.AcmeChallengePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        // Kestrel has checked the Host header's characters; without one (HTTP/1.0) there is nowhere to send the client.
        var host = request.Host.Host;
        if (host.Length == 0)
        {
            return null;
        }

        // The target exactly as the client wrote it, so nothing is decoded and re-encoded on the way.
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget is ['/', ..] raw ? raw : path + request.QueryString.Value;
        return string.Concat("https://", host, _portSuffix, target);
    }
}
