namespace Slipway.Core.Cgroups;

/// <summary>What one instance may use: <c>resources.cpu</c> cores and <c>resources.memory</c> bytes; null is no limit.</summary>
internal sealed record CgroupLimits(double? CpuCores, long? MemoryBytes)
{
    public static CgroupLimits None { get; } = new(null, null);
}
