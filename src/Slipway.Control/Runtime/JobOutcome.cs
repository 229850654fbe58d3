namespace Slipway.Control.Runtime;

/// <summary>
/// How a job run ended (or that it still runs). Written kebab-case in the API and the state store, whose rows a
/// restarted daemon reads back, so a member is never renamed.
/// </summary>
internal enum JobOutcome
{
    Running,

    /// <summary>Exited 0.</summary>
    Succeeded,

    /// <summary>Exited non-zero or was killed by a signal.</summary>
    Failed,

    /// <summary>Still running at its timeout: stopped (its group signalled, then killed).</summary>
    TimedOut,

    /// <summary>Never started: its command, working directory or a secret was missing.</summary>
    StartFailed,

    /// <summary>Stopped on purpose: replaced by a newer run (<c>concurrency: replace</c>) or the daemon stopping.</summary>
    Cancelled,

    /// <summary>The daemon died while it ran; the next daemon found it and stopped what was left of it.</summary>
    Interrupted,
}
