using System.Globalization;

namespace Slipway.Core.Scheduling;

/// <summary>
/// A five-field cron schedule (minute hour day-of-month month day-of-week) as in crontab(5), used for
/// backups and other timed jobs.
/// </summary>
/// <remarks>
/// <para>
/// Supported: <c>*</c>, lists <c>1,2</c>, ranges <c>1-5</c>, steps <c>*/15</c> and <c>10-50/10</c>, names
/// <c>JAN</c>-<c>DEC</c> and <c>SUN</c>-<c>SAT</c> (any case), <c>7</c> for Sunday, and the aliases
/// <c>@yearly @annually @monthly @weekly @daily @midnight @hourly</c>.
/// Rejected rather than guessed: <c>5/10</c> (Vixie reads it as plain 5, Quartz as 5-59/10), backwards
/// ranges, <c>?</c>, <c>L</c>, <c>W</c>, <c>#</c>, seconds, and <c>@reboot</c>.
/// </para>
/// <para>
/// Day matching follows Vixie cron exactly: when the day-of-month or the day-of-week field starts with
/// <c>*</c> a day must match both; otherwise it matches if either matches. So <c>0 0 1,15 * MON</c> fires on
/// the 1st, the 15th and every Monday, while <c>0 0 */2 * MON</c> fires only on odd-numbered Mondays.
/// </para>
/// <para>Time zones and daylight saving are handled in <c>CronExpression.Next.cs</c>.</para>
/// </remarks>
internal sealed partial class CronExpression
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private static readonly FieldSpec[] Fields =
    [
        new("minute", 0, 59, null, 0),
        new("hour", 0, 23, null, 0),
        new("day-of-month", 1, 31, null, 0),
        new("month", 1, 12, MonthNames, 1),
        new("day-of-week", 0, 7, DayNames, 0),
    ];

    private readonly string _text;
    private readonly ulong _minutes;
    private readonly ulong _hours;
    private readonly ulong _daysOfMonth;
    private readonly ulong _months;
    private readonly ulong _daysOfWeek;

    // Vixie's DOM_STAR / DOW_STAR: the field was written starting with '*'.
    private readonly bool _dayOfMonthStar;
    private readonly bool _dayOfWeekStar;

    // Minute or hour starts with '*': the job runs "every so often" rather than at a time of day, so it keeps
    // running through both passes of a repeated (fall-back) hour, as Vixie cron and Cronos do.
    private readonly bool _isInterval;

    // No month has a day the day-of-month field allows (0 0 30 2 *) and the day-of-week can't widen it.
    private readonly bool _never;

    private CronExpression(string text, ulong[] masks, bool dayOfMonthStar, bool dayOfWeekStar, bool isInterval)
    {
        _text = text;
        _minutes = masks[0];
        _hours = masks[1];
        _daysOfMonth = masks[2];
        _months = masks[3];
        _daysOfWeek = masks[4];
        _dayOfMonthStar = dayOfMonthStar;
        _dayOfWeekStar = dayOfWeekStar;
        _isInterval = isInterval;
        _never = (dayOfMonthStar || dayOfWeekStar) && !AnyMonthHasAllowedDay(_months, _daysOfMonth);
    }

    /// <exception cref="FormatException">The text is not a valid expression; the message says which field and why.</exception>
    public static CronExpression Parse(string text) =>
        TryParse(text, out var value, out var error) ? value! : throw new FormatException(error);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> reads like <c>cron "0 25 * * *": hour must be 0-23 (got 25)</c>.</summary>
    public static bool TryParse(string text, out CronExpression? value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = null;
        var prefix = $"cron \"{text}\": ";
        var expanded = text.Trim();
        if (expanded.StartsWith('@'))
        {
            var alias = ExpandAlias(expanded);
            if (alias is null)
            {
                error = prefix + "unknown alias, use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly";
                return false;
            }

            expanded = alias;
        }

        var parts = expanded.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != Fields.Length)
        {
            error = prefix + $"expected 5 fields (minute hour day-of-month month day-of-week), got {parts.Length}";
            return false;
        }

        var masks = new ulong[Fields.Length];
        for (var i = 0; i < Fields.Length; i++)
        {
            if (!TryParseField(parts[i], Fields[i], out masks[i], out var fieldError))
            {
                error = prefix + fieldError;
                return false;
            }
        }

        value = new CronExpression(text, masks, parts[2][0] == '*', parts[4][0] == '*', parts[0][0] == '*' || parts[1][0] == '*');
        error = null;
        return true;
    }

    /// <summary>The text as it was given.</summary>
    public override string ToString() => _text;

    private static string? ExpandAlias(string alias) => alias.ToLowerInvariant() switch
    {
        "@yearly" or "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" or "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        _ => null,
    };

    private static bool TryParseField(string field, FieldSpec spec, out ulong mask, out string? error)
    {
        mask = 0;
        foreach (var item in field.Split(','))
        {
            if (item.Length == 0)
            {
                error = $"{spec.Name} has an empty list item (got {field})";
                return false;
            }

            var slash = item.IndexOf('/');
            var range = slash < 0 ? item : item[..slash];
            var step = 1;
            if (slash >= 0 && (!int.TryParse(item.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
            {
                error = $"{spec.Name} step must be a whole number from 1 (got {item})";
                return false;
            }

            int low, high;
            if (range == "*")
            {
                (low, high) = (spec.Min, spec.Name == "day-of-week" ? 6 : spec.Max);
            }
            else
            {
                var dash = range.IndexOf('-');
                if (dash < 0)
                {
                    if (!TryParseValue(range, item, spec, out low, out error))
                    {
                        return false;
                    }

                    if (slash >= 0)
                    {
                        error = $"{spec.Name} step needs a range or * before it, like */{step} or {low}-{spec.Max}/{step} (got {item})";
                        return false;
                    }

                    high = low;
                }
                else
                {
                    if (!TryParseValue(range[..dash], item, spec, out low, out error) || !TryParseValue(range[(dash + 1)..], item, spec, out high, out error))
                    {
                        return false;
                    }

                    if (low > high)
                    {
                        error = $"{spec.Name} range must run low to high (got {range})";
                        return false;
                    }
                }
            }

            for (var v = low; v <= high; v += step)
            {
                // 7 is another name for Sunday.
                mask |= 1UL << (spec.Name == "day-of-week" && v == 7 ? 0 : v);
            }
        }

        error = null;
        return true;
    }

    // `item` is what the error quotes when the token is empty, as in "-1" or "5-".
    private static bool TryParseValue(string token, string item, FieldSpec spec, out int value, out string? error)
    {
        error = null;
        if (token.Length is > 0 and <= 2 && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value >= spec.Min && value <= spec.Max)
        {
            return true;
        }

        if (spec.Names is not null)
        {
            var index = Array.FindIndex(spec.Names, n => n.Equals(token, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                value = index + spec.NameBase;
                return true;
            }
        }

        value = 0;
        var names = spec.Names is null ? "" : $" or {spec.Names[0]}-{spec.Names[^1]}";
        error = $"{spec.Name} must be {spec.Min}-{spec.Max}{names} (got {(token.Length == 0 ? item : token)})";
        return false;
    }

    private static bool AnyMonthHasAllowedDay(ulong months, ulong daysOfMonth)
    {
        // Longest each month can be, February counted in a leap year.
        ReadOnlySpan<int> longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        for (var month = 1; month <= 12; month++)
        {
            var daysInMonth = (2UL << longest[month - 1]) - 2; // bits 1..longest
            if ((months & (1UL << month)) != 0 && (daysOfMonth & daysInMonth) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private sealed record FieldSpec(string Name, int Min, int Max, string[]? Names, int NameBase);
}
