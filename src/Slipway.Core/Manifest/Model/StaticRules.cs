using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// What <c>static:</c> forbids: the keys about instances. A static site has no process, so nothing to probe, stop,
/// restart, limit, scale, balance or retry; its readiness is its root holding the index, its revisions cost nothing.
/// </summary>
internal static class StaticRules
{
    private static readonly string[] InstanceKeys =
        ["health", "stop", "restart", "resources", "autoscale", "metrics", "loadBalancing", "maxInFlight", "retries", "preserveHost", "dependsOn"];

    public static void Check(ServiceSpec service, SpecContext context)
    {
        foreach (var key in InstanceKeys.Where(context.IsWritten))
        {
            context.Error(key, "does not apply to a static site: the edge serves it from a directory, with no instances to run");
        }

        if (service.Replicas != 1)
        {
            context.Error("replicas", $"must be 1 for a static site: every revision is one directory the edge serves (got {service.Replicas})");
        }
    }
}
