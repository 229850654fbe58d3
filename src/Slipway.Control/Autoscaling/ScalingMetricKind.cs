namespace Slipway.Control.Autoscaling;

/// <summary>Where a target's per-instance values come from.</summary>
internal enum ScalingMetricKind
{
    /// <summary>Cores used, from the instance's cgroup (else /proc), over <c>resources.cpu</c> or one core.</summary>
    Cpu,

    /// <summary>Working-set bytes, from the instance's cgroup (else resident memory), over <c>resources.memory</c>.</summary>
    Memory,

    /// <summary>Requests per second the proxy forwarded to the instance's revision, shared among its ready instances.</summary>
    Rps,

    /// <summary>Requests the proxy holds open to the instance right now.</summary>
    InFlight,

    /// <summary>A gauge the instance serves on <c>metrics.path</c> (the sum of its series of that name).</summary>
    App,
}
