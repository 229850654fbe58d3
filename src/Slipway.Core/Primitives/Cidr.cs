using System.Net;

namespace Slipway.Core.Primitives;

/// <summary>
/// An address range as written in the manifest: <c>10.0.0.0/8</c>, <c>2001:db8::/32</c>, or one address
/// (<c>203.0.113.7</c>, <c>::1</c>) for just that address. An IPv4 range also matches IPv4-mapped IPv6 clients.
/// </summary>
internal static class Cidr
{
    private const string Expected = "must be an address range such as 10.0.0.0/8 or 2001:db8::/32, or one address";

    public static bool TryParse(string text, out IPNetwork value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var s = text.Trim();
        var slash = s.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? s : s[..slash], out var address) || address.ToString().Contains('%', StringComparison.Ordinal))
        {
            error = $"{Expected} (got \"{text}\")";
            return false;
        }

        var bits = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(s.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            error = $"{Expected}; the prefix length after '/' is 0 to {bits} for this address (got \"{text}\")";
            return false;
        }

        var masked = Mask(address, prefix);
        if (!masked.Equals(address))
        {
            // 10.0.0.1/8 is most likely a typo for one address or for 10.0.0.0/8: say which range it would be.
            error = $"has bits set past the /{prefix} prefix; the range is {masked}/{prefix} (got \"{text}\")";
            return false;
        }

        value = new IPNetwork(address, prefix);
        error = null;
        return true;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
