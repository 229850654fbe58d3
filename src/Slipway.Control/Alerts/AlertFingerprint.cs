using System.Security.Cryptography;
using System.Text;

namespace Slipway.Control.Alerts;

/// <summary>A stable identity for a label set: the first 8 bytes of SHA-256 over the sorted <c>name=value</c> pairs, in hex.</summary>
internal static class AlertFingerprint
{
    public static string Of(IReadOnlyDictionary<string, string> labels)
    {
        var text = new StringBuilder();
        foreach (var (k, v) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            text.Append(k).Append('\u00ff').Append(v).Append('\u00ff');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
    }
}
