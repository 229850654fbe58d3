namespace Slipway.Core.Processes;

/// <summary>
/// How a process ended. A re-adopted process is not our child, so the kernel does not tell us its
/// status: then <see cref="IsKnown"/> is false and the exit counts as a failure.
/// </summary>
internal readonly record struct ProcessExit(int? ExitCode, int? Signal)
{
    public static ProcessExit Unknown => new(null, null);

    public bool IsKnown => ExitCode is not null || Signal is not null;

    public bool IsSuccess => ExitCode == 0;

    public override string ToString() =>
        ExitCode is { } code ? $"exit code {code}"
        : Signal is { } signal ? $"killed by signal {signal} ({Signals.Name(signal)})"
        : "exited (status unknown: the process was adopted, not started, by this daemon)";
}
