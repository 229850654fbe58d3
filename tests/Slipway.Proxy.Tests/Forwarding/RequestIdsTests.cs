using System.Text;
using Slipway.Proxy.Forwarding;

namespace Slipway.Proxy.Tests.Forwarding;

/// <summary>
/// The two engines' generated request ids: the general path's string and the fast path's bytes come from one counter
/// under one prefix, in the same form (24 lowercase hex digits, the counter's last 8).
/// </summary>
public sealed class RequestIdsTests
{
    [Fact]
    public void Next_AsBytes_IsTheSameFormAndCounterAsTheString()
    {
        var before = RequestIds.Next();
        var bytes = new byte[RequestIds.Length];
        RequestIds.Next(bytes);
        var after = RequestIds.Next();

        var id = Encoding.ASCII.GetString(bytes);
        Assert.Matches("^[0-9a-f]{24}$", id);
        Assert.Equal(before[..16], id[..16]);

        // Other tests may take ids in between, so only the order is certain, not the distance.
        var (first, middle, last) = (Counter(before), Counter(id), Counter(after));
        Assert.True(first < middle && middle < last, $"{before} {id} {after}");
    }

    [Fact]
    public void Next_AsBytes_SpellsTheCounterAsX8Does()
    {
        var bytes = new byte[RequestIds.Length];
        for (var i = 0; i < 64; i++)
        {
            RequestIds.Next(bytes);
            var digits = Encoding.ASCII.GetString(bytes, 16, 8);
            Assert.Equal(((uint)Counter("0000000000000000" + digits)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture), digits);
        }
    }

    private static ulong Counter(string id) => ulong.Parse(id[16..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
}
