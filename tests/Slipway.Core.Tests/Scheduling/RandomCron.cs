using System.Globalization;
using CsCheck;

namespace Slipway.Core.Tests.Scheduling;

/// <summary>
/// A random cron expression together with what it means, worked out here rather than by the parser, so a
/// brute-force reference can check <c>CronExpression</c> from the outside.
/// </summary>
internal sealed class RandomCron
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[][] _allowed;

    private RandomCron(string[] fields, bool[][] allowed)
    {
        Text = string.Join(' ', fields);
        _allowed = allowed;
        DayOfMonthStar = fields[2][0] == '*';
        DayOfWeekStar = fields[4][0] == '*';
        IsInterval = fields[0][0] == '*' || fields[1][0] == '*';
    }

    public string Text { get; }

    public bool DayOfMonthStar { get; }

    public bool DayOfWeekStar { get; }

    public bool IsInterval { get; }

    /// <param name="dayWeight">0..1: how often the day fields are restricted rather than <c>*</c>.</param>
    /// <param name="hoursUpTo">Restricted hour fields use only hours 0..this, to land near a 02:00 clock change.</param>
    public static Gen<RandomCron> Generate(double dayWeight, int hoursUpTo = 23) =>
        Gen.Select(
            Field(0, 59, null, 0, restrictWeight: 0.8),
            Field(0, 23, null, 0, restrictWeight: 0.7, pickMax: hoursUpTo),
            Field(1, 31, null, 0, dayWeight),
            Field(1, 12, MonthNames, 1, dayWeight),
            Field(0, 7, DayNames, 0, dayWeight),
            (minute, hour, dayOfMonth, month, dayOfWeek) =>
            {
                (string Text, bool[] Allowed)[] fields = [minute, hour, dayOfMonth, month, dayOfWeek];
                var allowed = fields.Select(f => f.Allowed).ToArray();
                // 7 is Sunday.
                allowed[4][0] |= allowed[4][7];
                return new RandomCron([.. fields.Select(f => f.Text)], allowed);
            });

    public bool Matches(DateTime wall) => DayMatches(wall) && _allowed[1][wall.Hour] && _allowed[0][wall.Minute];

    public bool DayMatches(DateTime wall)
    {
        if (!_allowed[3][wall.Month])
        {
            return false;
        }

        var dom = _allowed[2][wall.Day];
        var dow = _allowed[4][(int)wall.DayOfWeek];
        return DayOfMonthStar || DayOfWeekStar ? dom && dow : dom || dow;
    }

    public override string ToString() => Text;

    private static Gen<(string Text, bool[] Allowed)> Field(int min, int max, string[]? names, int nameBase, double restrictWeight, int? pickMax = null)
    {
        var pickHigh = pickMax ?? max;
        // Plain '*' on day-of-week covers 0-6; 7 only by name or number.
        var starMax = max == 7 ? 6 : max;
        var star = Gen.Frequency(
            (3, Gen.Const(() => ("*", Allowed(max, min, starMax, 1)))),
            (1, Gen.Int[1, starMax - min + 1].Select(step => ($"*/{step}", Allowed(max, min, starMax, step)))));

        // One value, a range or a stepped range; a value is spelled as a number, or (a third of the time) as a name in either case.
        var item = Gen.Select(Gen.Int[min, pickHigh], Gen.Int[min, pickHigh], Gen.Int[0, 2], Gen.Int[1, 11], Gen.Int[0, 5], Gen.Int[0, 5],
            (x, y, kind, step, spellLow, spellHigh) =>
            {
                var (low, high) = (Math.Min(x, y), Math.Max(x, y));
                var (lowText, highText) = (Spell(low, spellLow, names, nameBase), Spell(high, spellHigh, names, nameBase));
                return kind switch
                {
                    0 => (lowText, Allowed(max, low, low, 1)),
                    1 => ($"{lowText}-{highText}", Allowed(max, low, high, 1)),
                    _ => ($"{lowText}-{highText}/{step}", Allowed(max, low, high, step)),
                };
            });
        var restricted = item.Array[1, 3].Select(items => (
            string.Join(',', items.Select(i => i.Item1)),
            Enumerable.Range(0, max + 1).Select(v => items.Any(i => i.Item2[v])).ToArray()));

        var restrictPercent = (int)Math.Round(restrictWeight * 100);
        return Gen.Frequency((restrictPercent, restricted), (100 - restrictPercent, star));
    }

    private static bool[] Allowed(int max, int low, int high, int step)
    {
        var allowed = new bool[max + 1];
        for (var v = low; v <= high; v += step)
        {
            allowed[v] = true;
        }

        return allowed;
    }

    private static string Spell(int value, int spelling, string[]? names, int nameBase)
    {
        var index = value - nameBase;
        return names is not null && index < names.Length && spelling < 2
            ? spelling == 0 ? names[index] : names[index].ToLowerInvariant()
            : value.ToString(CultureInfo.InvariantCulture);
    }
}
