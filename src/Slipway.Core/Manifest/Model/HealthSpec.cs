namespace Slipway.Core.Manifest.Model;

/// <summary>Probes with Kubernetes' semantics: startup gates the others, readiness routes, liveness restarts.</summary>
internal sealed record HealthSpec
{
    public ProbeSpec? Startup { get; init; }

    public ProbeSpec? Readiness { get; init; }

    public ProbeSpec? Liveness { get; init; }
}
