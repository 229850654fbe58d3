using System.Text.Json.Serialization;

namespace Slipway.Control.Supervision;

/// <summary>A snapshot of one instance for status lines, the autoscaler, tests and the dashboard.</summary>
/// <param name="CpuPercent">CPU used over the last sample interval, in percent of one core.</param>
/// <param name="ResidentBytes">Memory at the last sample: the cgroup's working set when the instance has one, else the resident memory of its process group.</param>
internal sealed record InstanceStatus(
    string Id,
    string Service,
    string Revision,
    InstancePhase Phase,
    bool Ready,
    int? Pid,
    int Port,
    int Restarts,
    bool CrashLooping,
    string? LastProblem,
    double CpuPercent,
    long ResidentBytes)
{
    /// <summary>CPU time the instance has used since its process started (user + system), from the last sample; resets when the process is replaced.</summary>
    public double CpuSeconds { get; init; }

    /// <summary>When its current process started (or was adopted); null while it has none.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it last became ready or stopped being so (its start, before the first change).</summary>
    public DateTimeOffset? ReadySince { get; init; }

    /// <summary><c>resources.cpu</c> of its revision: the cores it may use (held to by its cgroup when <see cref="Cgroup"/> is set).</summary>
    public double? CpuLimit { get; init; }

    /// <summary><c>resources.memory</c> of its revision, in bytes.</summary>
    public long? MemoryLimit { get; init; }

    /// <summary>The cgroup its processes run in (the first directory under cgroup v1); null when limits fall back to watching /proc.</summary>
    public string? Cgroup { get; init; }

    /// <summary>Processes of this instance the kernel's OOM killer killed since the daemon started it.</summary>
    public int OomKills { get; init; }

    /// <summary>When the window <see cref="CpuPercent"/> covers began (the autoscaler ignores a CPU sample taken across a readiness change).</summary>
    [JsonIgnore]
    public DateTimeOffset? CpuSampledFrom { get; init; }
}
