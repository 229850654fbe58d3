namespace Slipway.Control.Supervision;

/// <summary>What the supervisor gives every instance of one service besides its spec.</summary>
/// <param name="SharedEnvironment"><c>SLIPWAY_&lt;SERVICE&gt;_URL</c> of the app's internal listeners and stateful services.</param>
/// <param name="FixedPort">A stateful service's port; null for a service whose instances each take a free one.</param>
/// <param name="Leases">Set for a stateful service: its one process at a time.</param>
internal sealed record InstanceSetup(
    IReadOnlyDictionary<string, string> SharedEnvironment,
    int? FixedPort,
    StatefulLeases? Leases,
    DependencyGate Dependencies);
