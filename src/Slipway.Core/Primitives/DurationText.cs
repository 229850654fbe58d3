using System.Globalization;
using System.Text;

namespace Slipway.Core.Primitives;

/// <summary>
/// Durations as people write them in the manifest: <c>250ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, <c>7d</c>,
/// compounds such as <c>1h30m</c>, fractions such as <c>1.5s</c>, and a bare <c>0</c>.
/// </summary>
/// <remarks>
/// Units are lower case only, because <c>M</c> reads as "month" to half the people who write it.
/// In a compound each unit appears once and larger units come first (<c>1h30m</c>, not <c>30m1h</c>),
/// so a value has one spelling and a typo such as <c>1m1m</c> is caught instead of summed.
/// Values must be a whole number of ticks (100ns) and at most <see cref="TimeSpan.MaxValue"/>.
/// </remarks>
internal static class DurationText
{
    private const string Expected = "must be a duration like 250ms, 5s, 2m, 1h or 7d";

    // Largest first: the order compounds must be written in and the order Format writes them.
    private static readonly (string Unit, long Ticks)[] Units =
    [
        ("d", TimeSpan.TicksPerDay),
        ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond),
        ("ms", TimeSpan.TicksPerMillisecond),
    ];

    public static bool TryParse(string text, out TimeSpan value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = $"{Expected} (got \"{text}\")";
            return false;
        }

        if (s[0] == '-')
        {
            error = $"must not be negative (got \"{text}\")";
            return false;
        }

        if (s == "0")
        {
            value = TimeSpan.Zero;
            error = null;
            return true;
        }

        decimal totalTicks = 0;
        var previousUnit = -1;
        var i = 0;
        while (i < s.Length)
        {
            var numberStart = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            var number = s.AsSpan(numberStart, unitStart - numberStart);
            var unit = s.AsSpan(unitStart, i - unitStart);
            var unitIndex = IndexOfUnit(unit);
            if (number.Length == 0 || unitIndex < 0 || !IsPlainDecimal(number))
            {
                error = $"{Expected} (got \"{text}\")";
                return false;
            }

            if (unitIndex <= previousUnit)
            {
                error = $"must write each unit once, largest first, like 1h30m (got \"{text}\")";
                return false;
            }

            previousUnit = unitIndex;
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                error = $"is too large (got \"{text}\")";
                return false;
            }

            try
            {
                totalTicks += amount * Units[unitIndex].Ticks;
            }
            catch (OverflowException)
            {
                error = $"is too large (got \"{text}\")";
                return false;
            }

            if (totalTicks > TimeSpan.MaxValue.Ticks)
            {
                error = $"is too large (got \"{text}\")";
                return false;
            }
        }

        if (totalTicks != decimal.Truncate(totalTicks))
        {
            error = $"must be a whole number of 100ns ticks (got \"{text}\")";
            return false;
        }

        value = TimeSpan.FromTicks((long)totalTicks);
        error = null;
        return true;
    }

    /// <summary>The canonical spelling: largest units first, zero parts left out (<c>90s</c> → <c>1m30s</c>, zero → <c>0</c>).</summary>
    /// <remarks>A part below a millisecond is written as a fraction of <c>ms</c> (<c>1.5ms</c>), so every value round-trips through <see cref="TryParse"/>.</remarks>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0";
        }

        var builder = new StringBuilder();
        // Work in unsigned ticks so TimeSpan.MinValue has a magnitude.
        ulong remaining;
        if (value < TimeSpan.Zero)
        {
            builder.Append('-');
            remaining = (ulong)(-(value.Ticks + 1)) + 1;
        }
        else
        {
            remaining = (ulong)value.Ticks;
        }

        foreach (var (unit, ticks) in Units)
        {
            var perUnit = (ulong)ticks;
            var whole = remaining / perUnit;
            remaining -= whole * perUnit;
            if (unit == "ms" && remaining != 0)
            {
                var fraction = ((decimal)remaining / perUnit).ToString(CultureInfo.InvariantCulture);
                builder.Append(whole.ToString(CultureInfo.InvariantCulture)).Append(fraction.AsSpan(1)).Append(unit);
                remaining = 0;
            }
            else if (whole != 0)
            {
                builder.Append(whole.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }

        return builder.ToString();
    }

    private static int IndexOfUnit(ReadOnlySpan<char> unit)
    {
        for (var i = 0; i < Units.Length; i++)
        {
            if (unit.SequenceEqual(Units[i].Unit))
            {
                return i;
            }
        }

        return -1;
    }

    // Digits with at most one point that has a digit on each side: "1.5" yes; "1.", ".5", "1..5" no.
    private static bool IsPlainDecimal(ReadOnlySpan<char> number)
    {
        var point = number.IndexOf('.');
        if (point < 0)
        {
            return true;
        }

        return point > 0 && point < number.Length - 1 && number[(point + 1)..].IndexOf('.') < 0;
    }
}
