using System.Globalization;

namespace Slipway.Core.Manifest.Model;

/// <summary>An endpoint written <c>host:port</c> or <c>[::1]:port</c>.</summary>
internal readonly record struct HostPort(string Host, int Port)
{
    public static bool TryParse(string text, out HostPort value, out string? error)
    {
        value = default;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = "must be host:port";
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':'))
        {
            error = "must be host:port (write an IPv6 address in brackets)";
            return false;
        }

        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = "must end with a port between 1 and 65535";
            return false;
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            error = "must name a host";
            return false;
        }

        value = new HostPort(host, port);
        error = null;
        return true;
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
