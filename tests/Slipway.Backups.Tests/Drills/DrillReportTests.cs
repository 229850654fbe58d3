using Slipway.Backups.Drills;

namespace Slipway.Backups.Tests.Drills;

public sealed class DrillReportTests
{
    private static DrillReport Report(TimeSpan rto, TimeSpan? rpo, TimeSpan? rtoObjective, TimeSpan? rpoObjective, string? error = null) => new()
    {
        BackupId = "main-db-1",
        Kind = "physical",
        Rto = rto,
        Rpo = rpo,
        RtoObjective = rtoObjective,
        RpoObjective = rpoObjective,
        Error = error,
    };

    [Fact]
    public void Passed_WithinBothObjectives_True() =>
        Assert.True(Report(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)).Passed);

    [Fact]
    public void Passed_RtoOverObjective_FalseNamingRto()
    {
        var report = Report(TimeSpan.FromMinutes(6), TimeSpan.Zero, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1));

        Assert.False(report.Passed);
        Assert.False(report.RtoMet);
        Assert.True(report.RpoMet);
    }

    [Fact]
    public void Passed_RpoUnmeasurableWithAnObjective_False()
    {
        Assert.False(Report(TimeSpan.Zero, null, null, TimeSpan.FromMinutes(1)).RpoMet);
        Assert.True(Report(TimeSpan.Zero, null, null, null).Passed);
    }

    [Fact]
    public void Passed_RestoreFailed_FalseEvenWithoutObjectives() =>
        Assert.False(Report(TimeSpan.Zero, null, null, null, "tar failed").Passed);

    [Fact]
    public void DataLoss_RecoveredNewerThanSource_IsZero()
    {
        var t = new DateTimeOffset(2026, 11, 21, 10, 15, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(3), DrillReport.DataLoss(t.AddSeconds(3), t));
        Assert.Equal(TimeSpan.Zero, DrillReport.DataLoss(t, t.AddSeconds(1)));
        Assert.Null(DrillReport.DataLoss(null, t));
    }
}
