using System.Text;
using Slipway.Core.Routing;

namespace Slipway.Proxy.Edge;

/// <summary>The response a step refuses with, built once when its route is compiled.</summary>
internal sealed class EdgeAnswer
{
    public EdgeAnswer(int status, EdgeRefusal reason, string body, string contentType = "text/plain; charset=utf-8")
    {
        Status = status;
        Reason = reason;
        Body = Encoding.UTF8.GetBytes(body);
        ContentType = contentType;
    }

    public int Status { get; }

    /// <summary>What the request is counted as in <c>/metrics</c>.</summary>
    public EdgeRefusal Reason { get; }

    public byte[] Body { get; }

    public string ContentType { get; }

    /// <summary>For a rate limit: the <c>RateLimit-Policy</c> value, and the policy name the <c>RateLimit</c> header repeats.</summary>
    public (string Policy, string Name)? RateLimit { get; init; }
}
