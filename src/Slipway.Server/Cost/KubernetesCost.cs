namespace Slipway.Server.Cost;

/// <summary>The nodes of one shape that the instances' requests need, and what they cost a month (instead of the per-core compute).</summary>
internal sealed record KubernetesCost(string Shape, int Nodes, double CpuRequested, double MemoryGbRequested, double Monthly);
