namespace Slipway.Core.Manifest.Model;

/// <summary>
/// How an instance leaves: out of routing, then up to <see cref="DrainTimeout"/> for its
/// requests to finish, then <see cref="Signal"/>, then SIGKILL after <see cref="GracePeriod"/>.
/// </summary>
/// <remarks>A stateful service's grace period is <see cref="StatefulGracePeriod"/> unless written.</remarks>
internal sealed record StopSpec
{
    /// <summary>What a stateful service gets when <c>gracePeriod</c> is not written: a database flushes before it exits.</summary>
    public static readonly TimeSpan StatefulGracePeriod = TimeSpan.FromSeconds(60);

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    public StopSignal Signal { get; init; } = StopSignal.Sigterm;

    /// <summary><see cref="Signal"/> as the number sent.</summary>
    public int SignalNumber => Signal switch
    {
        StopSignal.Sigint => Processes.Signals.Interrupt,
        StopSignal.Sigquit => Processes.Signals.Quit,
        StopSignal.Sighup => Processes.Signals.Hangup,
        StopSignal.Sigusr1 => Processes.Signals.User1,
        StopSignal.Sigusr2 => Processes.Signals.User2,
        _ => Processes.Signals.Term,
    };
}
