using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Slipway.Control.Logs;

/// <summary>
/// A stored line as a reader sees it: where it came from, its level and message (JSON fields understood), the
/// time the application wrote in it if any, and the text exactly as written.
/// </summary>
/// <param name="Time">When Slipway read the line; what searches order and filter by.</param>
/// <param name="LoggedAt">The time the line itself carries (<c>time</c>, <c>ts</c>, <c>timestamp</c>), if any.</param>
/// <param name="Searchable">What <c>grep</c> matches: the text, or for JSON every field value (not the key names).</param>
internal sealed record LogEntry(
    DateTimeOffset Time,
    string Service,
    string Revision,
    string Instance,
    string Stream,
    LineLevel Level,
    string Message,
    DateTimeOffset? LoggedAt,
    string Text,
    string Searchable)
{
    private static readonly string[] LevelFields = ["level", "lvl", "severity", "Level", "Severity", "@l", "log.level"];
    private static readonly string[] MessageFields = ["msg", "message", "Message", "@m", "@mt"];
    private static readonly string[] TimeFields = ["time", "ts", "timestamp", "Timestamp", "@t"];

    public static LogEntry From(string service, LogLine line)
    {
        var revision = LogPaths.RevisionOf(service, line.Instance);
        if (line.Text.StartsWith('{') && FromJson(service, revision, line) is { } structured)
        {
            return structured;
        }

        var level = LineLevels.FromPlainText(line.Text) ?? DefaultLevel(line.Stream);
        return new LogEntry(line.Time, service, revision, line.Instance, line.Stream, level, line.Text, null, line.Text, line.Text);
    }

    /// <summary>A line that names no level: info on stdout, warn on stderr.</summary>
    private static LineLevel DefaultLevel(string stream) => stream == "stderr" ? LineLevel.Warn : LineLevel.Info;

    private static LogEntry? FromJson(string service, string revision, LogLine line)
    {
        try
        {
            using var json = JsonDocument.Parse(line.Text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var level = Find(root, LevelFields) is { } l ? ParseLevel(l) : null;
            var message = Find(root, MessageFields) is { } m ? Scalar(m) : line.Text;
            var loggedAt = Find(root, TimeFields) is { } t ? ParseTime(t) : null;
            var searchable = new StringBuilder();
            AppendValues(root, searchable);
            return new LogEntry(line.Time, service, revision, line.Instance, line.Stream, level ?? DefaultLevel(line.Stream), message, loggedAt,
                line.Text, searchable.ToString());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement? Find(JsonElement root, string[] names)
    {
        foreach (var name in names)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                return value;
            }
        }

        return null;
    }

    private static LineLevel? ParseLevel(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => LineLevels.FromNumber(value.GetDouble()),
        JsonValueKind.String => LineLevels.FromName(value.GetString()),
        _ => null,
    };

    /// <summary>An ISO-8601 string, or Unix seconds (zap's <c>ts</c>) or milliseconds as a number.</summary>
    private static DateTimeOffset? ParseTime(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number is > 0 and < 1e15)
        {
            var milliseconds = number > 1e11 ? number : number * 1000;
            return DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
        }

        return null;
    }

    private static string Scalar(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();

    private static void AppendValues(JsonElement element, StringBuilder into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    AppendValues(property.Value, into);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AppendValues(item, into);
                }

                break;
            default:
                into.Append(Scalar(element)).Append('\n');
                break;
        }
    }
}
