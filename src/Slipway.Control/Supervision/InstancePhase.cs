namespace Slipway.Control.Supervision;

internal enum InstancePhase
{
    Pending,

    /// <summary>Running; the startup probe has not passed yet.</summary>
    Starting,

    /// <summary>Running and started; ready or not is a separate flag.</summary>
    Running,

    /// <summary>Waiting before the next start.</summary>
    BackingOff,

    /// <summary>Out of routing, draining, then signalled.</summary>
    Stopping,

    Stopped,

    /// <summary>Exited and not restarted by policy (<c>never</c>, or a clean exit under <c>on-failure</c>).</summary>
    Exited,

    /// <summary>Not started yet: waiting for <c>dependsOn</c> services to be ready, or a stateful service's previous instance to stop.</summary>
    Waiting,
}
