using System.Globalization;

namespace Slipway.Core.Scheduling;

/// <summary>
/// A weekly window when deploys are allowed: <c>Sun 02:00-04:00 UTC</c>,
/// <c>Mon-Fri 09:00-17:00 Europe/Berlin</c>, <c>Sat,Sun 00:00-24:00</c>, <c>* 22:00-06:00 UTC</c>
/// (a window may cross midnight; it belongs to the day it starts on). The zone is UTC when omitted.
/// </summary>
internal sealed class DeployWindow
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly bool[] _days;
    private readonly TimeSpan _start;
    private readonly TimeSpan _end;

    private DeployWindow(string text, bool[] days, TimeSpan start, TimeSpan end, TimeZoneInfo zone)
    {
        Text = text;
        _days = days;
        _start = start;
        _end = end;
        Zone = zone;
    }

    public string Text { get; }

    public TimeZoneInfo Zone { get; }

    public static bool TryParse(string text, out DeployWindow? window, out string? error)
    {
        window = null;
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 2 or > 3)
        {
            error = $"must be a window such as \"Mon-Fri 09:00-17:00 Europe/Berlin\" (got \"{text}\")";
            return false;
        }

        if (!TryParseDays(parts[0], out var days))
        {
            error = $"must start with days such as Mon-Fri, Sat,Sun or * (got \"{parts[0]}\")";
            return false;
        }

        var times = parts[1].Split('-');
        if (times.Length != 2 || !TryParseTime(times[0], out var start) || !TryParseTime(times[1], out var end) || start == end)
        {
            error = $"must have a time range such as 09:00-17:00 (got \"{parts[1]}\")";
            return false;
        }

        var zone = TimeZoneInfo.Utc;
        if (parts.Length == 3 && !TimeZoneInfo.TryFindSystemTimeZoneById(parts[2], out zone!))
        {
            error = $"names an unknown time zone \"{parts[2]}\" (use UTC or an IANA name such as Europe/Berlin)";
            return false;
        }

        window = new DeployWindow(text, days, start, end, zone);
        error = null;
        return true;
    }

    /// <summary>Is <paramref name="time"/> inside this window?</summary>
    public bool Contains(DateTimeOffset time)
    {
        var local = TimeZoneInfo.ConvertTime(time, Zone);
        var timeOfDay = local.TimeOfDay;
        if (_start < _end)
        {
            return _days[(int)local.DayOfWeek] && timeOfDay >= _start && timeOfDay < _end;
        }

        // Crosses midnight: the evening part belongs to today, the morning part to yesterday.
        return (_days[(int)local.DayOfWeek] && timeOfDay >= _start)
            || (_days[((int)local.DayOfWeek + 6) % 7] && timeOfDay < _end);
    }

    /// <summary>The next instant at or after <paramref name="after"/> when the window opens (or is open).</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset after)
    {
        if (Contains(after))
        {
            return after;
        }

        var local = TimeZoneInfo.ConvertTime(after, Zone);
        for (var day = 0; day <= 8; day++)
        {
            var date = local.Date.AddDays(day);
            if (!_days[(int)date.DayOfWeek])
            {
                continue;
            }

            var start = date + _start;
            var offset = Zone.IsInvalidTime(start) ? Zone.GetUtcOffset(start.AddHours(1)) : Zone.GetUtcOffset(start);
            var candidate = new DateTimeOffset(start, offset);
            if (candidate >= after)
            {
                return candidate;
            }
        }

        return null;
    }

    public override string ToString() => Text;

    private static bool TryParseDays(string text, out bool[] days)
    {
        days = new bool[7];
        if (text == "*")
        {
            Array.Fill(days, true);
            return true;
        }

        foreach (var part in text.Split(','))
        {
            var range = part.Split('-');
            if (range.Length is < 1 or > 2)
            {
                return false;
            }

            var first = Array.IndexOf(DayNames, range[0].ToLowerInvariant());
            var last = range.Length == 2 ? Array.IndexOf(DayNames, range[1].ToLowerInvariant()) : first;
            if (first < 0 || last < 0)
            {
                return false;
            }

            for (var d = first; ; d = (d + 1) % 7)
            {
                days[d] = true;
                if (d == last)
                {
                    break;
                }
            }
        }

        return true;
    }

    private static bool TryParseTime(string text, out TimeSpan time)
    {
        if (text == "24:00")
        {
            time = TimeSpan.FromHours(24);
            return true;
        }

        return TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out time);
    }
}
