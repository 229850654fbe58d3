using System.Collections.Immutable;
using System.Net;

namespace Slipway.Core.Routing;

/// <summary>Per-service behaviour of the proxy.</summary>
internal sealed record ServicePolicy
{
    public static ServicePolicy Default { get; } = new();

    /// <summary>A name from the proxy's load-balancing policies, e.g. <c>power-of-two</c>.</summary>
    public string LoadBalancing { get; init; } = "power-of-two";

    /// <summary>Send the client's Host to the backend (default) rather than the endpoint's address.</summary>
    public bool PreserveHost { get; init; } = true;

    /// <summary>Tries per request including the first; retries only when safe.</summary>
    public int MaxAttempts { get; init; } = 2;

    /// <summary>Retries allowed per request over the retry budget's window, e.g. 0.2 (plus a small floor per second).</summary>
    public double RetryBudget { get; init; } = 0.2;

    /// <summary>In-flight requests one endpoint may hold before requests queue; 0 for no limit.</summary>
    public int MaxInFlight { get; init; }

    /// <summary>Longest a request waits for a free endpoint before a 503 with Retry-After.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Retry an idempotent request on the stable revision when the canary fails it.</summary>
    public bool CanaryShield { get; init; } = true;

    /// <summary>The revision the canary shield falls back to; null when no rollout runs.</summary>
    public string? StableRevision { get; init; }

    /// <summary>The new revision of a rollout in progress, which the preview host's routes reach; null when none runs.</summary>
    public string? PreviewRevision { get; init; }

    /// <summary>Only these client ranges reach the service through the edge; default: no list.</summary>
    public ImmutableArray<IPNetwork> Allow { get; init; }

    /// <summary>Client ranges refused on every edge route of the service.</summary>
    public ImmutableArray<IPNetwork> Deny { get; init; } = [];

    /// <summary>Set while the service is in maintenance (<c>slipway maintenance on</c>).</summary>
    public MaintenanceModel? Maintenance { get; init; }
}
