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
    long ResidentBytes);
