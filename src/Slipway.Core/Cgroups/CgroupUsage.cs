namespace Slipway.Core.Cgroups;

/// <summary>
/// What an instance's cgroup has counted. A value the hierarchy does not keep is null (no cpuacct controller, a
/// kernel without the <c>oom_kill</c> counter), and the caller falls back to /proc or to the exit signal.
/// </summary>
/// <param name="Cpu">CPU time used by every process that was ever in the cgroup.</param>
/// <param name="MemoryBytes">The working set: memory in use minus file cache the kernel can drop at once (what it weighs before an OOM kill, and what Kubernetes reports).</param>
/// <param name="OomKills">Processes the OOM killer killed in the cgroup.</param>
/// <param name="LimitHits">Times memory use reached the limit (v1's failcnt; v2's max events).</param>
internal readonly record struct CgroupUsage(TimeSpan? Cpu, long? MemoryBytes, long? OomKills, long? LimitHits);
