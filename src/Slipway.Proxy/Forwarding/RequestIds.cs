using System.Buffers;
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

    /// <summary>The length of a generated id.</summary>
    public const int Length = 24;

    public static string Next()
    {
        var sequence = (ulong)Interlocked.Increment(ref _counter);
        return string.Create(Length, sequence, static (span, value) =>
        {
            Prefix.TryFormat(span[..16], out _, "x16");
            ((uint)value).TryFormat(span[16..], out _, "x8");
        });
    }

    /// <summary>The prefix as ASCII hex, formatted once: the fast path copies it.</summary>
    private static readonly byte[] PrefixBytes = System.Text.Encoding.ASCII.GetBytes(Prefix.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The next id written as ASCII into <paramref name="destination"/> (<see cref="Length"/> bytes), for the fast path.</summary>
    public static void Next(Span<byte> destination)
    {
        var sequence = (uint)Interlocked.Increment(ref _counter);
        PrefixBytes.CopyTo(destination);
        // The counter's 8 hex digits, as "x8" formats them, without parsing a format string per request.
        var digits = destination.Slice(16, 8);
        for (var i = 7; i >= 0; i--)
        {
            digits[i] = "0123456789abcdef"u8[(int)(sequence & 0xF)];
            sequence >>= 4;
        }
    }

    /// <summary>
    /// A client's <c>X-Request-Id</c> when it is one value of 1 to <see cref="MaxClientLength"/> letters, digits,
    /// '-', '_', '.' or ':'; otherwise null (and the proxy makes its own). Anything else could forge log lines or
    /// carry markup into the tools that show the id.
    /// </summary>
    public static string? Accept(StringValues header)
    {
        return header.Count == 1 && header[0] is { } id && IsAcceptable(id.AsSpan()) ? id : null;
    }

    /// <summary><see cref="Accept"/>'s rule for one value.</summary>
    public static bool IsAcceptable(ReadOnlySpan<char> id) =>
        id.Length is > 0 and <= MaxClientLength && id.IndexOfAnyExcept(Allowed) < 0;

    /// <summary><see cref="Accept"/>'s rule for one value as the client's bytes.</summary>
    public static bool IsAcceptable(ReadOnlySpan<byte> id) =>
        id.Length is > 0 and <= MaxClientLength && id.IndexOfAnyExcept(AllowedBytes) < 0;

    private const string AllowedText = "-_.:0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly SearchValues<char> Allowed = SearchValues.Create(AllowedText);

    private static readonly SearchValues<byte> AllowedBytes = SearchValues.Create(System.Text.Encoding.ASCII.GetBytes(AllowedText));
}
