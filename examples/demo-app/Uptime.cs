namespace Slipway.DemoApp;

/// <summary>
/// Time since Main started. DEMO_READY_AFTER, DEMO_UNHEALTHY_AFTER and
/// DEMO_CRASH_AFTER count from here, so they include DEMO_STARTUP_DELAY.
/// </summary>
internal sealed class Uptime(TimeProvider clock)
{
    private readonly long _start = clock.GetTimestamp();

    public TimeProvider Clock => clock;

    public TimeSpan Elapsed => clock.GetElapsedTime(_start);

    /// <summary>How long from now until <paramref name="sinceStart"/> after start; zero if already past.</summary>
    public TimeSpan Until(TimeSpan sinceStart) => sinceStart > Elapsed ? sinceStart - Elapsed : TimeSpan.Zero;
}
