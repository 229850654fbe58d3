using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Supervision;

/// <summary>The order services stop in: those nothing depends on first, then what they depended on, and so on down.</summary>
internal static class DependencyOrder
{
    /// <summary>
    /// Sets of services that stop together, in order. A service is in the wave after the last of the services that
    /// depend on it. Instances of services the manifest no longer has are not in any wave; the caller stops them last.
    /// </summary>
    public static IReadOnlyList<IReadOnlySet<string>> StopWaves(AppManifest manifest)
    {
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        int Level(string service, HashSet<string> visiting)
        {
            if (level.TryGetValue(service, out var known))
            {
                return known;
            }

            // Validation refuses circles; should one slip in, it is cut here rather than recursed forever.
            if (!visiting.Add(service))
            {
                return 0;
            }

            var dependents = manifest.Services.Where(s => s.Value.DependsOn.Contains(service)).Select(s => s.Key).ToList();
            var result = dependents.Count == 0 ? 0 : dependents.Max(d => Level(d, visiting)) + 1;
            visiting.Remove(service);
            level[service] = result;
            return result;
        }

        foreach (var service in manifest.Services.Keys)
        {
            Level(service, new HashSet<string>(StringComparer.Ordinal));
        }

        return [.. level.GroupBy(l => l.Value).OrderBy(g => g.Key).Select(g => (IReadOnlySet<string>)g.Select(l => l.Key).ToHashSet(StringComparer.Ordinal))];
    }
}
