namespace Slipway.Control.Supervision;

/// <summary>A snapshot of one instance for status lines, tests and (later) the dashboard.</summary>
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
    /// <summary>CPU time the instance's process group has used since it started (user + system), from the last sample; resets when the process is replaced.</summary>
    public double CpuSeconds { get; init; }
}
