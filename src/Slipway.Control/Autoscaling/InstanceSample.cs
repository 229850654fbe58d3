namespace Slipway.Control.Autoscaling;

/// <summary>One instance as the replica calculator sees it for one metric.</summary>
/// <param name="Value">Its reading (cores, bytes, requests per second, ...); null when it has none (a missing metric).</param>
/// <param name="ValueFrom">When the window <paramref name="Value"/> covers began (CPU samples taken across a readiness change are not trusted).</param>
/// <param name="Request">What counts as its 100 % for a utilization target (<c>resources.cpu</c> cores, <c>resources.memory</c> bytes); 0 for plain targets.</param>
internal sealed record InstanceSample(
    string Id,
    InstanceState State,
    bool Ready,
    DateTimeOffset? StartedAt,
    DateTimeOffset? ReadySince,
    double? Value,
    DateTimeOffset? ValueFrom = null,
    double Request = 0);
