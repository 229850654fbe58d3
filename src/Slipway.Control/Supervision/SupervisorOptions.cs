using Slipway.Control.Logs;
using Slipway.Control.Secrets;
using Slipway.Core.Cgroups;

namespace Slipway.Control.Supervision;

/// <summary>Where the app lives and what to run; the manifest says the rest.</summary>
internal sealed record SupervisorOptions
{
    public required string ManifestDirectory { get; init; }

    public required string StateDirectory { get; init; }

    /// <summary><c>--version SERVICE=V</c>: overrides the stored revision and the manifest's <c>version:</c>.</summary>
    public IReadOnlyDictionary<string, string> VersionOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>How often each instance's CPU and memory are sampled (its cgroup, else /proc).</summary>
    public TimeSpan ResourceSampleInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often in-flight counts are checked while draining.</summary>
    public TimeSpan DrainPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public LogOptions Logs { get; init; } = new();

    /// <summary>Makes a cgroup per instance with its revision's <c>resources</c>; null runs instances in the daemon's own cgroups and watches /proc.</summary>
    public CgroupDriver? Cgroups { get; init; }

    /// <summary>Where <c>run.secrets</c> values come from; without one, a service that names a secret does not start.</summary>
    public ISecretSource? Secrets { get; init; }
}
