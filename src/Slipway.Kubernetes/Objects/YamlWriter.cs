using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Slipway.Kubernetes.Objects;

/// <summary>
/// Writes a JSON tree as block YAML, the same bytes for the same tree. A string is plain only when no YAML 1.1 or 1.2
/// reader could take it for anything else (a number, a boolean, null, a date); multi-line strings are literal blocks;
/// everything else is double-quoted with JSON's escapes, which YAML's double-quoted style reads the same way.
/// </summary>
internal static partial class YamlWriter
{
    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~",
    };

    public static string Write(JsonNode node)
    {
        var text = new StringBuilder();
        WriteBlock(text, node, 0);
        return text.ToString();
    }

    private static void WriteBlock(StringBuilder text, JsonNode node, int indent)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    text.Append(' ', indent).Append(Scalar(key, 0));
                    WriteValueAfterKey(text, value!, indent);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    text.Append(' ', indent).Append("- ");
                    WriteItem(text, item!, indent + 2);
                }

                break;
            default:
                throw new ArgumentException("a YAML document is a mapping or a sequence", nameof(node));
        }
    }

    private static void WriteValueAfterKey(StringBuilder text, JsonNode value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                text.Append(": {}\n");
                break;
            case JsonArray { Count: 0 }:
                text.Append(": []\n");
                break;
            case JsonObject or JsonArray:
                text.Append(":\n");
                WriteBlock(text, value, indent + 2);
                break;
            default:
                text.Append(": ").Append(Scalar(value, indent + 2)).Append('\n');
                break;
        }
    }

    /// <summary>A sequence item: a mapping starts on the dash's line, its other keys under the first.</summary>
    private static void WriteItem(StringBuilder text, JsonNode item, int indent)
    {
        switch (item)
        {
            case JsonObject { Count: > 0 } obj:
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!first)
                    {
                        text.Append(' ', indent);
                    }

                    first = false;
                    text.Append(Scalar(key, 0));
                    WriteValueAfterKey(text, value!, indent);
                }

                break;
            case JsonArray { Count: > 0 }:
                text.Append('\n');
                WriteBlock(text, item, indent);
                break;
            case JsonObject:
                text.Append("{}\n");
                break;
            case JsonArray:
                text.Append("[]\n");
                break;
            default:
                text.Append(Scalar(item, indent)).Append('\n');
                break;
        }
    }

    private static string Scalar(JsonNode value, int indent)
    {
        return value.GetValueKind() switch
        {
            JsonValueKind.String => Scalar(value.GetValue<string>(), indent),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "null",
        };
    }

    private static string Scalar(string value, int indent)
    {
        if (value.Contains('\n', StringComparison.Ordinal) && LiteralSafe(value))
        {
            var chomp = value.EndsWith('\n') ? "" : "-";
            var body = value.EndsWith('\n') ? value[..^1] : value;
            var lines = body.Split('\n').Select(line => line.Length == 0 ? "" : new string(' ', indent) + line);
            return "|" + chomp + "\n" + string.Join('\n', lines);
        }

        return IsPlainSafe(value) ? value : JsonSerializer.Serialize(value, QuoteOptions);
    }

    /// <summary>A literal block keeps every character as written, except trailing spaces, a leading space on the first line, and tabs.</summary>
    private static bool LiteralSafe(string value) =>
        !value.StartsWith(' ') && !value.StartsWith('\n') && !value.EndsWith("\n\n", StringComparison.Ordinal)
        && value.Split('\n').All(line => !line.EndsWith(' ') && !line.Contains('\t', StringComparison.Ordinal) && !line.Contains('\r', StringComparison.Ordinal));

    private static bool IsPlainSafe(string value) =>
        PlainCharacters().IsMatch(value) && !Reserved.Contains(value)
        && !value.Contains(": ", StringComparison.Ordinal) && !value.Contains(" #", StringComparison.Ordinal)
        && !LooksNumeric().IsMatch(value);

    [GeneratedRegex("^[A-Za-z_/][A-Za-z0-9 _/.:@=+,*-]*[A-Za-z0-9_/.@=+*-]$|^[A-Za-z_/]$")]
    private static partial Regex PlainCharacters();

    /// <summary>Anything a YAML 1.1 reader might turn into a number or date: quoted rather than argued about.</summary>
    [GeneratedRegex("^[-+.]?[0-9]|^\\.(inf|nan)$", RegexOptions.IgnoreCase)]
    private static partial Regex LooksNumeric();

    /// <summary>Numbers as JSON writes them, for callers that build text by hand.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
