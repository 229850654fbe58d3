using Microsoft.Extensions.Time.Testing;
using Slipway.Backups.Catalog;
using Slipway.Backups.Retention;
using Slipway.Core.Manifest.Model;

namespace Slipway.Backups.Tests.Retention;

public sealed class RetentionPolicyTests
{
    private static readonly RetentionSpec Gfs = new() { KeepLast = 3, Daily = 7, Weekly = 4, Monthly = 6 };

    /// <summary>One backup a day at 02:00 UTC for <paramref name="days"/> days, from Monday 2026-01-05, on a manual clock.</summary>
    private static List<BackupRecord> DailyHistory(int days, Func<int, bool>? failed = null)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero));
        var history = new List<BackupRecord>();
        for (var day = 0; day < days; day++)
        {
            var at = clock.GetUtcNow();
            var bad = failed?.Invoke(day) ?? false;
            history.Add(new BackupRecord
            {
                Id = $"db-{at:yyyyMMdd}",
                Name = "db",
                Kind = "logical",
                Status = bad ? BackupStatus.Failed : BackupStatus.Succeeded,
                Source = "postgres@127.0.0.1:5432/db",
                Destination = "local:/backups",
                StartedAt = at,
                FinishedAt = at,
                Duration = TimeSpan.Zero,
                Compression = "gzip",
            });
            clock.Advance(TimeSpan.FromDays(1));
        }

        return history;
    }

    [Fact]
    public void Apply_120Days_KeepsLastDailyWeeklyMonthly()
    {
        var history = DailyHistory(120); // 2026-01-05 (Mon) .. 2026-05-04 (Mon)

        var decision = RetentionPolicy.Apply(history, Gfs);

        string[] expected =
        [
            // monthly: newest of Jan..May (only 5 months exist)
            "db-20260131", "db-20260228", "db-20260331", "db-20260430",
            // weekly: newest of ISO weeks 2026-W19 (May 4), W18 (May 3), W17 (Apr 26), W16 (Apr 19)
            "db-20260419", "db-20260426",
            // daily: the last 7 days (includes keep-last 3 and the May and W18/W19 picks)
            "db-20260428", "db-20260429", "db-20260501", "db-20260502", "db-20260503", "db-20260504",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), decision.Keep.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(120 - expected.Length, decision.Delete.Count);
        Assert.Equal(["last", "daily", "weekly", "monthly"], decision.Keep["db-20260504"]);
        Assert.Equal(["monthly"], decision.Keep["db-20260131"]);
        Assert.Equal(["daily", "monthly"], decision.Keep["db-20260430"]);
    }

    [Fact]
    public void Apply_EveryIdIsKeptOrDeletedOnce()
    {
        var history = DailyHistory(120, day => day % 5 == 0);

        var decision = RetentionPolicy.Apply(history, Gfs);

        Assert.Equal(history.Select(r => r.Id).Order(), decision.Keep.Keys.Concat(decision.Delete).Order());
    }

    [Fact]
    public void Apply_RecentFailures_NeverDisplaceGoodBackups()
    {
        var clean = RetentionPolicy.Apply(DailyHistory(100), Gfs);
        // The same history followed by 20 days of failures: nothing that was kept before may go.
        var history = DailyHistory(120, day => day >= 100);

        var decision = RetentionPolicy.Apply(history, Gfs);

        Assert.All(clean.Keep.Keys, id => Assert.True(decision.Keep.ContainsKey(id), id));
        Assert.All(history.Where(r => r.Status == BackupStatus.Failed), r => Assert.DoesNotContain(r.Id, decision.Delete));
    }

    [Fact]
    public void Apply_OnlyFailures_DeletesNothing()
    {
        var decision = RetentionPolicy.Apply(DailyHistory(30, _ => true), Gfs);

        Assert.Empty(decision.Delete);
    }

    [Fact]
    public void Apply_OldFailures_AreDeletedOnceOlderThanEveryKeptBackup()
    {
        var history = DailyHistory(120, day => day == 1);

        var decision = RetentionPolicy.Apply(history, Gfs);

        Assert.Contains("db-20260106", decision.Delete);
    }

    [Fact]
    public void Apply_SeveralBackupsADay_KeepsTheNewestOfTheDay()
    {
        var history = DailyHistory(3);
        var extra = history[^1] with { Id = "db-late", StartedAt = history[^1].StartedAt.AddHours(12) };
        history.Add(extra);

        var decision = RetentionPolicy.Apply(history, new RetentionSpec { KeepLast = 1, Daily = 1, Weekly = 0, Monthly = 0 });

        Assert.Equal(["db-late"], decision.Keep.Keys);
    }
}
