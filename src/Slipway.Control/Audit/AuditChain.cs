using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Slipway.Control.Audit;

/// <summary>
/// The hash chain: an entry's hash is SHA-256 over the previous entry's hash and the entry's canonical JSON
/// (fixed field order, arguments sorted by key, no whitespace, time in UTC to the millisecond), so editing,
/// removing or reordering any entry breaks every link from it on.
/// </summary>
internal static class AuditChain
{
    /// <summary>The <see cref="AuditEntry.Previous"/> of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string Hash(AuditEntry entry)
    {
        var canonical = Canonical(entry);
        var input = new byte[entry.Previous.Length + 1 + canonical.Length];
        Encoding.ASCII.GetBytes(entry.Previous, input);
        input[entry.Previous.Length] = (byte)'\n';
        canonical.CopyTo(input, entry.Previous.Length + 1);
        return Convert.ToHexStringLower(SHA256.HashData(input));
    }

    public static byte[] Canonical(AuditEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", entry.Seq);
            json.WriteString("time", FormatTime(entry.Time));
            json.WriteString("actor", entry.Actor);
            json.WriteString("method", entry.Method);
            json.WriteString("route", entry.Route);
            json.WriteStartObject("arguments");
            foreach (var (key, value) in entry.Arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteString("remote", entry.Remote);
            json.WriteNumber("status", entry.Status);
            json.WriteString("previous", entry.Previous);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
