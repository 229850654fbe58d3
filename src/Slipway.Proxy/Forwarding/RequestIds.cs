using System.Security.Cryptography;

namespace Slipway.Proxy.Forwarding;

/// <summary>
/// Request ids unique across restarts: a random 64-bit process prefix and a counter, as 24 hex
/// characters written straight into the string (one allocation per generated id).
/// </summary>
internal static class RequestIds
{
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
}
