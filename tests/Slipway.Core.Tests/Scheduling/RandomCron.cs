using System.Globalization;

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
    public static RandomCron Next(Random random, double dayWeight, int hoursUpTo = 23)
    {
        var fields = new string[5];
        var allowed = new bool[5][];
        (fields[0], allowed[0]) = Field(random, 0, 59, null, 0, restrictWeight: 0.8);
        (fields[1], allowed[1]) = Field(random, 0, 23, null, 0, restrictWeight: 0.7, pickMax: hoursUpTo);
        (fields[2], allowed[2]) = Field(random, 1, 31, null, 0, dayWeight);
        (fields[3], allowed[3]) = Field(random, 1, 12, MonthNames, 1, dayWeight);
        (fields[4], allowed[4]) = Field(random, 0, 7, DayNames, 0, dayWeight);
        // 7 is Sunday.
        allowed[4][0] |= allowed[4][7];
        return new RandomCron(fields, allowed);
    }

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

    private static (string Text, bool[] Allowed) Field(Random random, int min, int max, string[]? names, int nameBase, double restrictWeight, int? pickMax = null)
    {
        var pickHigh = pickMax ?? max;
        var allowed = new bool[max + 1];
        // Plain '*' on day-of-week covers 0-6; 7 only by name or number.
        var starMax = max == 7 ? 6 : max;
        if (random.NextDouble() >= restrictWeight)
        {
            if (random.Next(4) == 0)
            {
                var step = random.Next(1, (starMax - min) + 2);
                for (var v = min; v <= starMax; v += step)
                {
                    allowed[v] = true;
                }

                return ($"*/{step}", allowed);
            }

            for (var v = min; v <= starMax; v++)
            {
                allowed[v] = true;
            }

            return ("*", allowed);
        }

        var items = new List<string>();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var a = random.Next(min, pickHigh + 1);
            var b = random.Next(min, pickHigh + 1);
            (a, b) = (Math.Min(a, b), Math.Max(a, b));
            switch (random.Next(3))
            {
                case 0:
                    allowed[a] = true;
                    items.Add(Value(random, a, names, nameBase));
                    break;
                case 1:
                    for (var v = a; v <= b; v++)
                    {
                        allowed[v] = true;
                    }

                    items.Add($"{Value(random, a, names, nameBase)}-{Value(random, b, names, nameBase)}");
                    break;
                default:
                    var step = random.Next(1, 12);
                    for (var v = a; v <= b; v += step)
                    {
                        allowed[v] = true;
                    }

                    items.Add($"{Value(random, a, names, nameBase)}-{Value(random, b, names, nameBase)}/{step}");
                    break;
            }
        }

        return (string.Join(',', items), allowed);
    }

    private static string Value(Random random, int value, string[]? names, int nameBase)
    {
        var index = value - nameBase;
        if (names is not null && index < names.Length && random.Next(3) == 0)
        {
            var name = names[index];
            return random.Next(2) == 0 ? name : name.ToLowerInvariant();
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }
}
