namespace Slipway.Core.Processes;

/// <summary>A sample of what a process group uses: CPU time so far and resident memory now.</summary>
internal readonly record struct ProcessStats(TimeSpan CpuTime, long ResidentBytes);
