using System.Net;
using Microsoft.Extensions.Primitives;

namespace Slipway.Proxy.Edge;

/// <summary>
/// The real client behind trusted proxies, as nginx's <c>real_ip_recursive on</c> finds it: <c>X-Forwarded-For</c>
/// read from the right, each trusted hop skipped, the first untrusted address is the client. Entries left of it
/// were written by that client and prove nothing, so they are dropped from the chain passed on.
/// </summary>
internal static class ForwardedFor
{
    /// <summary>The client and the <c>X-Forwarded-For</c> to send on: client, the trusted hops after it, then the peer.</summary>
    /// <param name="peer">The connection's address; the caller has checked that it is a trusted proxy.</param>
    /// <param name="header">Every <c>X-Forwarded-For</c> line, in order (they read as one comma-separated list).</param>
    public static (IPAddress Client, string Chain) Resolve(IPAddress peer, string peerText, StringValues header, AddressRanges trusted)
    {
        var entries = new List<string>();
        foreach (var line in header)
        {
            foreach (var range in line.AsSpan().Split(','))
            {
                var entry = line.AsSpan(range).Trim();
                if (!entry.IsEmpty)
                {
                    entries.Add(entry.ToString());
                }
            }
        }

        var client = peer;
        var chain = new List<string>(entries.Count + 1) { peerText };
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            // An entry that is not an address (a port, "unknown", garbage) ends the walk: the last hop read is the client.
            if (!IPAddress.TryParse(entries[i], out var hop))
            {
                break;
            }

            client = hop.IsIPv4MappedToIPv6 ? hop.MapToIPv4() : hop;
            chain.Add(client.ToString());
            if (!trusted.Contains(client))
            {
                break;
            }
        }

        chain.Reverse();
        return (client, string.Join(", ", chain));
    }
}
