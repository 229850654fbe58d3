using System.Globalization;

namespace Slipway.DemoApp;

/// <summary>Parses the durations the settings accept: <c>250ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c> or plain milliseconds.</summary>
internal static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim();
        var (number, unitMs) =
            s.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (s[..^2], 1.0) :
            s.EndsWith('s') || s.EndsWith('S') ? (s[..^1], 1_000.0) :
            s.EndsWith('m') || s.EndsWith('M') ? (s[..^1], 60_000.0) :
            s.EndsWith('h') || s.EndsWith('H') ? (s[..^1], 3_600_000.0) :
            (s, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
            || double.IsInfinity(n * unitMs))
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(n * unitMs);
        return true;
    }
}
