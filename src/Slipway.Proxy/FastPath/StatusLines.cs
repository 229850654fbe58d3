using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Slipway.Proxy.FastPath;

/// <summary>Status lines pre-encoded once, with the reason phrases Kestrel writes, so both engines start a response alike.</summary>
internal static class StatusLines
{
    private static readonly byte[][] Lines = [.. Enumerable.Range(0, 600).Select(Build)];

    public static ReadOnlySpan<byte> For(int status) => status is >= 100 and < 600 ? Lines[status] : Build(status);

    private static byte[] Build(int status) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {ReasonPhrases.GetReasonPhrase(status)}\r\n");
}
