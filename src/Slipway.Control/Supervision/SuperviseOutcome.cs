using Slipway.Core.Processes;

namespace Slipway.Control.Supervision;

/// <summary>Why one run of an instance ended: a stop request, its own exit, or a kill the supervisor decided on.</summary>
/// <param name="KillKind">The event kind when the supervisor ends it: liveness-failed, startup-failed, oom.</param>
internal readonly record struct SuperviseOutcome(bool Stopped, ProcessExit Exit, string? KillKind, string Message)
{
    public static SuperviseOutcome StopRequested => new(true, default, null, "");

    public static SuperviseOutcome Exited(ProcessExit exit) => new(false, exit, null, exit.ToString());

    public static SuperviseOutcome Kill(string kind, string message) => new(false, default, kind, message);
}
