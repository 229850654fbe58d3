using Slipway.Core.Manifest.Model;

namespace Slipway.Core.Manifest.Binding;

/// <summary>
/// Defaults that differ for a stateful service, filled in after binding where the file left the key out: a longer
/// grace period (a database flushes before it exits), stop-then-start (<c>maxSurge: 0</c>, <c>maxUnavailable: 1</c>)
/// and a TCP readiness check on its port every second.
/// </summary>
internal static class StatefulDefaults
{
    public static readonly ProbeSpec Readiness = new() { Tcp = true, Period = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) };

    public static AppManifest Apply(AppManifest manifest, SourceMap map)
    {
        if (!manifest.Services.Values.Any(s => s.Stateful))
        {
            return manifest;
        }

        return manifest with
        {
            Services = manifest.Services.ToDictionary(s => s.Key, s => s.Value.Stateful ? Apply(s.Value, $"services.{s.Key}", map) : s.Value, StringComparer.Ordinal),
        };
    }

    private static ServiceSpec Apply(ServiceSpec service, string path, SourceMap map)
    {
        bool Written(string key) => map.Contains($"{path}.{key}");
        return service with
        {
            Stop = Written("stop.gracePeriod") ? service.Stop : service.Stop with { GracePeriod = StopSpec.StatefulGracePeriod },
            Deploy = service.Deploy with
            {
                MaxSurge = Written("deploy.maxSurge") ? service.Deploy.MaxSurge : "0",
                MaxUnavailable = Written("deploy.maxUnavailable") ? service.Deploy.MaxUnavailable : "1",
            },
            Health = service.Health.Readiness is null ? service.Health with { Readiness = Readiness } : service.Health,
        };
    }
}
