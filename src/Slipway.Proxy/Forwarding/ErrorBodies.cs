using System.Text;

namespace Slipway.Proxy.Forwarding;

/// <summary>The short plain-text bodies the proxy answers with itself; never a stack trace.</summary>
internal static class ErrorBodies
{
    public static readonly byte[] AmbiguousFraming = Encoding.ASCII.GetBytes("400 bad request: Content-Length and Transfer-Encoding together\n");
    public static readonly byte[] BodyTimedOut = Encoding.ASCII.GetBytes("408 request timeout: the request body stopped arriving\n");
    public static readonly byte[] BodyMalformed = Encoding.ASCII.GetBytes("400 bad request: the request body is malformed\n");
    public static readonly byte[] TooLarge = Encoding.ASCII.GetBytes("413 request body too large\n");
    public static readonly byte[] NoRoute = Encoding.ASCII.GetBytes("404 no route for this host and path\n");
    public static readonly byte[] NoPreview = Encoding.ASCII.GetBytes("404 no rollout in progress: nothing to preview on this host\n");
    public static readonly byte[] BadGateway = Encoding.ASCII.GetBytes("502 bad gateway: the service failed to answer\n");
    public static readonly byte[] NoInstance = Encoding.ASCII.GetBytes("503 no instance of the service is available\n");
    public static readonly byte[] Overloaded = Encoding.ASCII.GetBytes("503 the service is overloaded, retry later\n");
    public static readonly byte[] GatewayTimeout = Encoding.ASCII.GetBytes("504 gateway timeout: the service did not answer in time\n");
}
