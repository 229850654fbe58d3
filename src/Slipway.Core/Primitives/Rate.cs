using System.Globalization;

namespace Slipway.Core.Primitives;

/// <summary>
/// A rate as written in the manifest: <see cref="Count"/> events per <see cref="Per"/>, spelled
/// <c>10/s</c>, <c>5/m</c>, <c>1000/h</c>, <c>100/d</c>, or with a window <c>2/1m</c>, <c>30/10s</c>.
/// </summary>
/// <remarks>The window after the slash is a bare unit (one of it) or any duration <see cref="DurationText"/> reads, and must be above zero.</remarks>
internal readonly record struct Rate(double Count, TimeSpan Per)
{
    private const string Expected = "must be a rate like 10/s, 5/m or 1000/h";

    public double PerSecond => Count / Per.TotalSeconds;

    public static bool TryParse(string text, out Rate value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var s = text.Trim();
        var slash = s.IndexOf('/');
        if (slash <= 0
            || !double.TryParse(s.AsSpan(0, slash), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count)
            || !double.IsFinite(count))
        {
            error = $"{Expected} (got \"{text}\")";
            return false;
        }

        var window = s[(slash + 1)..];
        TimeSpan per;
        if (window is "ms" or "s" or "m" or "h" or "d")
        {
            DurationText.TryParse("1" + window, out per, out _);
        }
        else if (window.Length == 0 || !char.IsAsciiDigit(window[0]) || !DurationText.TryParse(window, out per, out _))
        {
            error = $"{Expected} (got \"{text}\")";
            return false;
        }

        if (per <= TimeSpan.Zero)
        {
            error = $"must count over a window longer than zero, like 10/s (got \"{text}\")";
            return false;
        }

        value = new Rate(count, per);
        error = null;
        return true;
    }

    /// <summary><c>10/s</c> when the window is one unit, otherwise <c>2/30s</c>.</summary>
    public override string ToString()
    {
        var count = Count.ToString("R", CultureInfo.InvariantCulture);
        var window = DurationText.Format(Per);
        return window is "1d" or "1h" or "1m" or "1s" or "1ms"
            ? $"{count}/{window[1..]}"
            : $"{count}/{window}";
    }
}
