using System.Collections.Immutable;
using System.Net;

namespace Slipway.Proxy.Edge;

/// <summary>
/// A set of address ranges (IPv4 and IPv6), matched by a linear scan: lists in a manifest are short, and
/// <see cref="IPNetwork.Contains"/> compares the address bytes without allocating.
/// </summary>
internal sealed class AddressRanges
{
    private readonly IPNetwork[] _ranges;

    public AddressRanges(IEnumerable<IPNetwork> ranges) => _ranges = [.. ranges];

    public static AddressRanges Empty { get; } = new([]);

    public bool IsEmpty => _ranges.Length == 0;

    /// <summary>Null for a default (absent) list, so "no list" and "an empty list" stay different.</summary>
    public static AddressRanges? From(ImmutableArray<IPNetwork> ranges) => ranges.IsDefault ? null : new AddressRanges(ranges);

    /// <param name="address">IPv4-mapped IPv6 addresses must already be unmapped (the proxy's client addresses are).</param>
    public bool Contains(IPAddress address)
    {
        foreach (var range in _ranges)
        {
            if (range.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
