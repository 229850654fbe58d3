using System.Text.RegularExpressions;

namespace Slipway.Control.Logs;

/// <summary>What a log search or follow keeps: every filter is optional; <see cref="Limit"/> counts from the newest end.</summary>
internal sealed record LogQuery
{
    public const int DefaultLimit = 1000;

    public const int MaxLimit = 100_000;

    public string? Service { get; init; }

    public string? Revision { get; init; }

    public string? Instance { get; init; }

    /// <summary>This level or worse.</summary>
    public LineLevel? Level { get; init; }

    /// <summary>Lines read at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Lines read before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Matched against <see cref="LogEntry.Searchable"/>; built with <see cref="Grep(string)"/>.</summary>
    public Regex? Pattern { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    /// <summary>
    /// A case-insensitive pattern that runs in time linear in the line (no backtracking), so no pattern can
    /// stall the daemon. <c>^</c> and <c>$</c> anchor each JSON field value. Throws <see cref="ArgumentException"/>
    /// with the reason when it is not a valid regex.
    /// </summary>
    public static Regex Grep(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline | RegexOptions.NonBacktracking);

    /// <summary>Whether a line from <paramref name="service"/>'s <paramref name="instance"/> can match at all (checked before reading it).</summary>
    public bool Includes(string service, string instance) =>
        (Service is null || Service == service)
        && (Instance is null || Instance == instance)
        && (Revision is null || Revision == LogPaths.RevisionOf(service, instance));

    public bool InTime(DateTimeOffset time) => (Since is null || time >= Since) && (Until is null || time < Until);

    public bool Matches(LogEntry entry) =>
        Includes(entry.Service, entry.Instance)
        && InTime(entry.Time)
        && (Level is null || entry.Level >= Level)
        && (Pattern is null || Pattern.IsMatch(entry.Searchable));
}
