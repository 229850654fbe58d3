using System.Globalization;

namespace Slipway.Server.Preflight;

/// <summary>How findings write times and sizes: UTC to the minute, sizes in binary units, the same on every machine.</summary>
internal static class PreflightText
{
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"60.2GB", "256MB", "7KB": one decimal at most, binary units as the manifest's sizes.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + units[unit];
    }

    /// <summary>"1 backup", "2 backups".</summary>
    public static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    public static string Days(TimeSpan span) => span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + (Math.Abs(span.TotalDays - 1) < 0.05 ? " day" : " days");
}
