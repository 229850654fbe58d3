using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Slipway.Control.Audit;

/// <summary>
/// The chain: an entry's hash is HMAC-SHA256, under a key the daemon holds, over the previous entry's hash and
/// the entry's canonical JSON (fixed field order, arguments sorted by key, no whitespace, time in UTC to the
/// millisecond). Editing, removing or reordering an entry breaks every link from it on, and without the key
/// nobody can compute the links again.
/// </summary>
/// <remarks>
/// Entries written before the chain was keyed (no <see cref="AuditEntry.Phase"/>) were chained with plain
/// SHA-256, which anyone can recompute: such a log is moved aside when the daemon starts (see <see cref="AuditLog"/>).
/// </remarks>
internal static class AuditChain
{
    /// <summary>The <see cref="AuditEntry.Previous"/> of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The label the chain's key is derived under from the master key.</summary>
    public const string KeyPurpose = "slipway audit chain v1";

    public static string Mac(AuditEntry entry, byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Input(entry)));

    /// <summary>How an entry without a phase was chained: plain SHA-256. Checked when an old log is moved aside, never written.</summary>
    public static string LegacyHash(AuditEntry entry) => Convert.ToHexStringLower(SHA256.HashData(Input(entry)));

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
            if (entry.Phase is { } phase)
            {
                json.WriteString("phase", phase);
            }

            json.WriteString("previous", entry.Previous);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static byte[] Input(AuditEntry entry)
    {
        var canonical = Canonical(entry);
        var input = new byte[entry.Previous.Length + 1 + canonical.Length];
        Encoding.ASCII.GetBytes(entry.Previous, input);
        input[entry.Previous.Length] = (byte)'\n';
        canonical.CopyTo(input, entry.Previous.Length + 1);
        return input;
    }
}
