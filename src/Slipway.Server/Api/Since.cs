using System.Globalization;
using Slipway.Core.Primitives;

namespace Slipway.Server.Api;

/// <summary><c>?since=</c>: a duration back from now (<c>10m</c>) or an ISO-8601 time.</summary>
internal static class Since
{
    public static bool TryParse(string? text, TimeProvider time, out DateTimeOffset? since, out string? error)
    {
        since = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (DurationText.TryParse(text, out var ago, out _))
        {
            since = time.GetUtcNow() - ago;
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            since = at;
            return true;
        }

        error = $"must be a duration like 10m or an ISO-8601 time (got \"{text}\")";
        return false;
    }
}
