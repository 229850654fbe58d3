using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;

namespace Slipway.Core.Manifest.Validation;

/// <summary><c>dependsOn</c>: every name a service of the manifest, not the service itself, and no circle.</summary>
internal static class DependencyRules
{
    public static void Check(AppManifest manifest, SpecContext root)
    {
        foreach (var (name, service) in manifest.Services)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < service.DependsOn.Count; i++)
            {
                var dependency = service.DependsOn[i];
                var key = $"services.{name}.dependsOn[{i}]";
                if (dependency == name)
                {
                    root.Error(key, $"names {name} itself; a service cannot wait for its own readiness");
                }
                else if (!manifest.Services.ContainsKey(dependency))
                {
                    root.Error(key, ManifestRules.Unknown("service", dependency, manifest.Services.Keys, "services"));
                }
                else if (!seen.Add(dependency))
                {
                    root.Error(key, $"names {dependency} twice");
                }
            }
        }

        if (FindCycle(manifest) is { } cycle)
        {
            var from = cycle[0];
            var index = manifest.Services[from].DependsOn.ToList().IndexOf(cycle[1]);
            root.Error($"services.{from}.dependsOn[{index}]",
                $"makes a circle: {string.Join(" → ", cycle)}; each would wait for the other to be ready, so none could start");
        }
    }

    /// <summary>The first circle of dependencies (services in ordinal order), its first service repeated at the end; null when there is none.</summary>
    public static IReadOnlyList<string>? FindCycle(AppManifest manifest)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            var at = path.IndexOf(node);
            if (at >= 0)
            {
                return [.. path[at..], node];
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in manifest.Services[node].DependsOn.Where(d => d != node && manifest.Services.ContainsKey(d)))
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return manifest.Services.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(c => c is not null);
    }
}
