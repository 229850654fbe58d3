using System.Globalization;

namespace Slipway.Server.Preflight;

/// <summary>How findings write times and sizes: UTC to the minute, sizes in binary units, the same on every machine.</summary>
internal static class PreflightText
{
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Days(TimeSpan span) => span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + (Math.Abs(span.TotalDays - 1) < 0.05 ? " day" : " days");
}
