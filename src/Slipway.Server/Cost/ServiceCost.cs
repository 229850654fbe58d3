namespace Slipway.Server.Cost;

/// <summary>
/// One service's monthly cost at one scale: instances × (cores, GB) for compute, requests/s × bytes for egress.
/// <see cref="Measured"/> and <see cref="Assumed"/> name the figures that came from the daemon or the price table's
/// assumptions; the rest came from the manifest.
/// </summary>
/// <param name="Note">Why a service costs nothing here (not run by Slipway), or how its replicas were chosen.</param>
internal sealed record ServiceCost(
    string Name,
    int Instances,
    double Cpu,
    double MemoryGb,
    double RequestsPerSecond,
    double EgressGb,
    double Compute,
    double Egress,
    double Total,
    IReadOnlyList<string> Measured,
    IReadOnlyList<string> Assumed,
    string? Note);
