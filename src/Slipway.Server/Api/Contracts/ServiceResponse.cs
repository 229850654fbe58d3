using Slipway.Control.Autoscaling;

namespace Slipway.Server.Api.Contracts;

/// <summary>
/// One service in <c>GET /api/v1/services</c>: revision, replicas, ready instances, health, and any rollout.
/// <see cref="ServiceDetailResponse"/> extends it through the record's copy constructor.
/// </summary>
internal record ServiceResponse
{
    public required string Name { get; init; }

    public required ServiceKind Kind { get; init; }

    /// <summary>Null before the service's first revision.</summary>
    public required string? Revision { get; init; }

    public required string? Version { get; init; }

    public required int Replicas { get; init; }

    public required int Ready { get; init; }

    public required ServiceHealth Health { get; init; }

    public required IReadOnlyList<string> Secrets { get; init; }

    /// <summary>The running or last rollout, while the controller still reports it.</summary>
    public required RolloutResponse? Rollout { get; init; }

    /// <summary>A stateful service's fixed <c>127.0.0.1:PORT</c>; null for the others.</summary>
    public required string? Address { get; init; }

    /// <summary>The services it waits for at start (<c>dependsOn</c>).</summary>
    public required IReadOnlyList<string> DependsOn { get; init; }

    /// <summary>The autoscaler's bounds, counts and readings at its last look; null for a service without <c>autoscale</c>.</summary>
    public AutoscaleStatus? Autoscale { get; init; }
}
