using System.Globalization;
using System.Text.Json;

namespace Slipway.Control.Logs;

/// <summary>One stored line: when it was read, from which stream, and what the instance wrote.</summary>
internal sealed record LogLine(DateTimeOffset Time, string Instance, string Stream, string Text)
{
    public static LogLine? Parse(string instance, string stored)
    {
        var first = stored.IndexOf('\t');
        var second = first < 0 ? -1 : stored.IndexOf('\t', first + 1);
        if (second < 0 || !DateTimeOffset.TryParse(stored.AsSpan(0, first), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return null;
        }

        return new LogLine(time, instance, stored[(first + 1)..second], stored[(second + 1)..]);
    }

    public string Format() => $"{Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}\t{Stream}\t{Text}";

    /// <summary>The level and message of a JSON log line (<c>{"level":"info","msg":"..."}</c>), or null for plain text.</summary>
    public (string? Level, string Message)? Structured()
    {
        if (!Text.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(Text);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var level = Find(json.RootElement, "level", "Level", "@l", "severity");
            var message = Find(json.RootElement, "msg", "message", "Message", "@m");
            return message is null && level is null ? null : (level, message ?? Text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>For printing: <c>TIME INSTANCE LEVEL message</c>, JSON recognised.</summary>
    public string Display()
    {
        var structured = Structured();
        var body = structured is { } s ? $"{(s.Level ?? "-").ToUpperInvariant(),-5} {s.Message}" : Text;
        var err = Stream == "stderr" ? " [stderr]" : "";
        return $"{Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {Instance}{err} {body}";
    }

    private static string? Find(JsonElement root, params string[] names)
    {
        foreach (var name in names)
        {
            if (root.TryGetProperty(name, out var value))
            {
                return value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString();
            }
        }

        return null;
    }
}
