using System.Globalization;
using Slipway.Backups.Catalog;
using Slipway.Core.Manifest.Model;

namespace Slipway.Backups.Retention;

/// <summary>
/// Keep-last plus grandfather-father-son, as a pure function of the history.
/// </summary>
/// <remarks>
/// <para>
/// Periods are counted among periods that <em>have</em> a successful backup (restic's rule), not back from
/// today: if backups stop working for a month, time passing deletes nothing, and the last good backups stay.
/// For each kept period the newest successful backup of it is kept. Weeks are ISO 8601 weeks, days and months
/// are calendar days and months in the given zone (UTC by default).
/// </para>
/// <para>
/// Failed backups count for nothing, so they can never push a good backup out. Their records (they have no
/// data) are deleted only once they are older than every kept backup, so recent failures stay visible.
/// </para>
/// </remarks>
internal static class RetentionPolicy
{
    public static RetentionDecision Apply(IReadOnlyList<BackupRecord> history, RetentionSpec spec, TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Utc;
        var good = history.Where(r => r.Status == BackupStatus.Succeeded)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).ToList();
        var keep = new Dictionary<string, List<string>>();

        void Mark(BackupRecord record, string reason)
        {
            if (!keep.TryGetValue(record.Id, out var reasons))
            {
                keep[record.Id] = reasons = [];
            }

            reasons.Add(reason);
        }

        foreach (var record in good.Take(spec.KeepLast))
        {
            Mark(record, "last");
        }

        KeepNewestPer(good, spec.Daily, r => Local(r, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "daily", Mark);
        KeepNewestPer(good, spec.Weekly, r => IsoWeek(Local(r, zone)), "weekly", Mark);
        KeepNewestPer(good, spec.Monthly, r => Local(r, zone).ToString("yyyy-MM", CultureInfo.InvariantCulture), "monthly", Mark);

        var oldestKept = good.Where(r => keep.ContainsKey(r.Id)).Select(r => r.StartedAt).DefaultIfEmpty(DateTimeOffset.MinValue).Min();
        var delete = history
            .Where(r => !keep.ContainsKey(r.Id))
            .Where(r => r.Status == BackupStatus.Succeeded || r.StartedAt < oldestKept)
            .OrderBy(r => r.StartedAt)
            .Select(r => r.Id)
            .ToList();

        // Recent failed records are neither kept for a reason nor deleted: list them as kept, so every id is in one list.
        foreach (var failed in history.Where(r => r.Status == BackupStatus.Failed && !delete.Contains(r.Id)))
        {
            Mark(failed, "failed (kept for history)");
        }

        return new RetentionDecision(keep.ToDictionary(k => k.Key, k => (IReadOnlyList<string>)k.Value), delete);
    }

    private static void KeepNewestPer(List<BackupRecord> newestFirst, int count, Func<BackupRecord, string> period, string reason, Action<BackupRecord, string> mark)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in newestFirst)
        {
            if (seen.Count >= count)
            {
                return;
            }

            if (seen.Add(period(record)))
            {
                mark(record, reason);
            }
        }
    }

    private static DateTime Local(BackupRecord record, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(record.StartedAt, zone).DateTime;

    private static string IsoWeek(DateTime date) =>
        string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):00}");
}
