namespace Slipway.DemoApp;

/// <summary>
/// One <c>DEMO_FORWARD</c> entry: requests at or below <see cref="Prefix"/> (whole segments) go to <see cref="Target"/>
/// with their path and query unchanged. The target is written as a URL or as the name of a variable holding one, so a
/// gateway can be pointed at <c>SLIPWAY_AUTH_URL</c>, whose value only the supervisor knows.
/// </summary>
internal sealed record ForwardRule(string Prefix, Uri Target)
{
    public bool Matches(PathString path) =>
        path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    /// <summary>Parses <c>/api/auth=SLIPWAY_AUTH_URL,/api/tweets=http://127.0.0.1:9202</c>, adding a message per bad entry.</summary>
    public static IReadOnlyList<ForwardRule> ParseAll(string text, Func<string, string?> environment, List<string> errors)
    {
        var rules = new List<ForwardRule>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var prefix = equals > 0 ? entry[..equals].TrimEnd('/') : "";
            var target = equals > 0 ? entry[(equals + 1)..] : "";
            if (!entry.StartsWith('/') || prefix.Length == 0 || target.Length == 0)
            {
                errors.Add($"DEMO_FORWARD: '{entry}' must be /PREFIX=TARGET");
                continue;
            }

            var url = target.Contains("://", StringComparison.Ordinal) ? target : environment(target);
            if (url is null)
            {
                errors.Add($"DEMO_FORWARD: {target} (for {prefix}) is not set");
            }
            else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            {
                errors.Add($"DEMO_FORWARD: '{url}' (for {prefix}) is not an http:// URL");
            }
            else
            {
                rules.Add(new ForwardRule(prefix, uri));
            }
        }

        return rules;
    }
}
