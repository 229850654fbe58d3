namespace Slipway.Proxy.Static;

/// <summary>
/// The part of a request path a static site may look up, checked segment by segment on the decoded path: Kestrel
/// removes dot segments before it decodes, so <c>%2e%2e</c> arrives here as <c>..</c> and is refused like one.
/// </summary>
internal static class StaticPath
{
    /// <summary>The path relative to the root ("" for the root), or null when it could step out of it or name nothing a file can be.</summary>
    public static string? Relative(string decodedPath)
    {
        if (decodedPath.AsSpan().IndexOfAny('\\', '\0') >= 0)
        {
            return null;
        }

        var path = decodedPath.AsSpan().TrimStart('/');
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment is "." or "..")
            {
                return null;
            }
        }

        return path.ToString();
    }

    /// <summary>The last segment has no extension: a client-side route such as <c>/users/42</c>, not a missing asset.</summary>
    public static bool IsExtensionless(string relative)
    {
        var slash = relative.LastIndexOf('/');
        return relative.AsSpan(slash + 1).IndexOf('.') < 0;
    }
}
