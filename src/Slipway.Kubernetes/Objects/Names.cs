using System.Security.Cryptography;
using System.Text;

namespace Slipway.Kubernetes.Objects;

/// <summary>The names Slipway gives the objects it renders, and the limits Kubernetes puts on them.</summary>
internal static class Names
{
    /// <summary>Services, containers and most objects: an RFC 1123 label.</summary>
    public const int MaxLabel = 63;

    /// <summary>A CronJob's name: its Jobs add an 11-character suffix and must stay within 63.</summary>
    public const int MaxCronJob = 52;

    /// <summary>The port name every container and Service uses.</summary>
    public const string HttpPort = "http";

    public static string Secrets(string app) => app + "-secrets";

    public static string ServiceAccount(string app) => app;

    public static string Canary(string service) => service + "-canary";

    public static string Preview(string service) => service + "-preview";

    public static string Metrics(string service) => service + "-metrics";

    public static string Analysis(string service) => service + "-analysis";

    public static string PreTraffic(string service) => service + "-pre-traffic";

    public static string Backup(string backup) => "backup-" + backup;

    public static string Verify(string backup) => "verify-" + backup;

    public static string BackupVolume(string app) => app + "-backups";

    /// <summary><c>SLIPWAY_API_URL</c> for service <c>api</c>, as one machine names it.</summary>
    public static string InternalUrlVariable(string service) => "SLIPWAY_" + service.ToUpperInvariant().Replace('-', '_') + "_URL";

    /// <summary>A short, stable digest of some text, for names that change when their content does.</summary>
    public static string Digest(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..10];

    /// <summary>Whole seconds for a duration field, rounded up so a wait is never shorter than written.</summary>
    public static int Seconds(TimeSpan value) => (int)Math.Ceiling(value.TotalSeconds);

    /// <summary>A Go duration (<c>1h30m</c>, <c>5s</c>, <c>500ms</c>), as Argo Rollouts and the operators parse them.</summary>
    public static string GoDuration(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            text.Append(hours).Append('h');
        }

        if (value.Minutes > 0)
        {
            text.Append(value.Minutes).Append('m');
        }

        if (value.Seconds > 0)
        {
            text.Append(value.Seconds).Append('s');
        }

        if (value.Milliseconds > 0)
        {
            text.Append(value.Milliseconds).Append("ms");
        }

        return text.ToString();
    }

    /// <summary>A Prometheus duration in one unit (<c>5m</c>, <c>90s</c>, <c>500ms</c>): what a range selector reads.</summary>
    public static string PromDuration(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)value.TotalHours}h"
        : value.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)value.TotalMinutes}m"
        : value.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{(long)value.TotalSeconds}s"
        : $"{(long)Math.Ceiling(value.TotalMilliseconds)}ms";
}
