using System.Globalization;

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
}
