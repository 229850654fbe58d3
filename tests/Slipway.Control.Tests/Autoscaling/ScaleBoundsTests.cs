using Slipway.Control.Autoscaling;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Scheduling;

namespace Slipway.Control.Tests.Autoscaling;

/// <summary>Scheduled bounds: an entry is in force from each firing of its cron for its duration; the last in force wins.</summary>
public sealed class ScaleBoundsTests
{
    private static AutoscaleSpec OffPeak() => new()
    {
        Min = 3,
        Max = 10,
        Cpu = new Core.Primitives.Percentage(70),
        Schedule =
        [
            new ScheduledBoundsSpec { Cron = Cron("0 22 * * *"), Duration = TimeSpan.FromHours(9), Min = 1, Max = 2 },
            new ScheduledBoundsSpec { Cron = Cron("0 12 * * 5"), Duration = TimeSpan.FromHours(2), Min = 6 },
        ],
    };

    private static CronExpression Cron(string text) => CronExpression.TryParse(text, out var cron, out var error) ? cron! : throw new ArgumentException(error);

    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 1, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 21, 59, 3, 10, null)] // before the off-peak entry fires
    [InlineData(1, 22, 0, 1, 2, 0)] // as it fires
    [InlineData(2, 6, 59, 1, 2, 0)] // the next morning, within its 9 hours
    [InlineData(2, 7, 0, 3, 10, null)] // its 9 hours are over
    [InlineData(2, 13, 0, 6, 10, 1)] // Friday noon: min from the entry, max the service's
    public void At_Times_TheBoundsInForce(int day, int hour, int minute, int min, int max, int? entry)
    {
        var bounds = ScaleBounds.At(OffPeak(), At(day, hour, minute), TimeZoneInfo.Utc);

        Assert.Equal((min, max, entry), (bounds.Min, bounds.Max, bounds.Entry));
    }

    [Fact]
    public void At_InForce_SaysUntilWhen()
    {
        var bounds = ScaleBounds.At(OffPeak(), At(1, 23), TimeZoneInfo.Utc);

        Assert.Equal(At(2, 7), bounds.Until);
        Assert.Contains("autoscale.schedule[0] (\"0 22 * * *\" for 9h, until 2026-01-02 07:00Z)", bounds.Describe(OffPeak()), StringComparison.Ordinal);
    }
}
