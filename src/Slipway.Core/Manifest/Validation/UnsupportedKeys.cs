using System.Text.RegularExpressions;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Validation;

/// <summary>
/// Keys the model can read but nothing acts on yet. Writing one is an error, "not supported yet: …", in
/// <c>validate</c> and <c>up</c> alike (both load through <see cref="ManifestLoader"/>), so no key is silently
/// ignored. A test (ManifestReferenceTests) holds every other key of the model to having an effect.
/// </summary>
/// <remarks>Paths use <c>*</c> for a name in a map and <c>[]</c> for an item of a list: <c>services.*.routes[].host</c>.</remarks>
internal static partial class UnsupportedKeys
{
    public static IReadOnlyList<UnsupportedKey> All { get; } =
    [
        new("services.*.slo.latency", "the SLO's alerts count failed requests only; watch latency with `high-latency` or a rule of your own"),
        new("services.*.slo.window", "the burn-rate alerts are fixed for a 30-day objective"),
    ];

    /// <summary>The entry refusing <paramref name="path"/> (wildcard form) or one of its ancestors, or null.</summary>
    public static UnsupportedKey? Find(string path) =>
        All.FirstOrDefault(k => path == k.Path || path.StartsWith(k.Path + ".", StringComparison.Ordinal) || path.StartsWith(k.Path + "[", StringComparison.Ordinal));

    /// <summary>An error for every unsupported key the file writes, at that key.</summary>
    public static void Check(SourceMap map, SpecContext root)
    {
        foreach (var path in map.Paths)
        {
            var wildcard = Wildcard(path);
            if (wildcard is not null && All.FirstOrDefault(k => k.Path == wildcard) is { } key)
            {
                root.Error(path, "is not supported yet: " + key.Reason);
            }
        }
    }

    /// <summary><c>services.api.routes[2].host</c> as <c>services.*.routes[].host</c>; null for paths no entry could match.</summary>
    private static string? Wildcard(string path)
    {
        var segments = Index().Replace(path, "[]").Split('.');
        if (segments.Length >= 2 && segments[0] == "services")
        {
            segments[1] = "*";
        }

        return string.Join('.', segments);
    }

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Index();
}

/// <param name="Path">The key, in wildcard form.</param>
/// <param name="Reason">Said after "is not supported yet: ".</param>
internal sealed record UnsupportedKey(string Path, string Reason);
