using Microsoft.Extensions.Time.Testing;

namespace Slipway.Testing;

/// <summary>
/// Where Slipway's unit tests start their <see cref="FakeTimeProvider"/>. Its timers fire synchronously inside
/// <c>Advance</c>, with the clock already at the end of the move; a zero due time fires inside <c>CreateTimer</c>.
/// </summary>
public static class TestClock
{
    /// <summary>2026-01-01T00:00:00Z, a Thursday. FakeTimeProvider's own default is 2000-01-01; tests that print
    /// dates, cut days or read schedules were written against this one.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A fake clock at <see cref="Start"/>.</summary>
    public static FakeTimeProvider Create() => new(Start);
}
