using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;

namespace Slipway.Proxy.Forwarding;

/// <summary>
/// Request ids unique across restarts: a random 64-bit process prefix and a counter, as 24 hex
/// characters written straight into the string (one allocation per generated id).
/// </summary>
internal static class RequestIds
{
    /// <summary>The longest client id kept: a UUID is 36, a W3C trace id 32.</summary>
    public const int MaxClientLength = 64;

    private static readonly ulong Prefix = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private static long _counter;

    public static string Next()
    {
        var sequence = (ulong)Interlocked.Increment(ref _counter);
        return string.Create(24, sequence, static (span, value) =>
        {
            Prefix.TryFormat(span[..16], out _, "x16");
            ((uint)value).TryFormat(span[16..], out _, "x8");
        });
    }

    /// <summary>
    /// A client's <c>X-Request-Id</c> when it is one value of 1 to <see cref="MaxClientLength"/> letters, digits,
    /// '-', '_', '.' or ':'; otherwise null (and the proxy makes its own). Anything else could forge log lines or
    /// carry markup into the tools that show the id.
    /// </summary>
    public static string? Accept(StringValues header)
    {
        if (header.Count != 1 || header[0] is not { Length: > 0 and <= MaxClientLength } id)
        {
            return null;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':'))
            {
                return null;
            }
        }

        return id;
    }
}
