namespace Slipway.Control.Notifications;

/// <summary>How the notifier paces itself; tests shorten these.</summary>
internal sealed record NotifierOptions
{
    /// <summary>How often groups are checked for a due flush; the resolution of groupWait and groupInterval.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts per notification before it counts as failed.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Wait before the second attempt; doubled for each further one up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
