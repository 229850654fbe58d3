using Slipway.Backups;
using Slipway.Backups.Catalog;
using Slipway.Backups.Destinations;
using Slipway.Control.Events;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Scheduling;

namespace Slipway.Server.Preflight.Checks;

/// <summary>
/// Each backup succeeded within its schedule, was proven by a restore within its verify schedule, and its last drill met
/// its RTO and RPO: read from the catalog at its destination and the daemon's recorded outcomes.
/// </summary>
internal sealed class BackupsCheck : IPreflightCheck
{
    /// <summary>A run due at 02:00 that is still going at 02:40 is not late yet.</summary>
    internal static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    public string Name => "backups";

    public bool ConcernsDeploy => false;

    public async Task<IReadOnlyList<PreflightFinding>> RunAsync(PreflightContext context, CancellationToken cancel)
    {
        var findings = new List<PreflightFinding>();
        foreach (var (name, spec) in context.Manifest.Backups.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            IReadOnlyList<BackupRecord> records;
            IBackupDestination? destination = null;
            try
            {
                destination = BackupDestinations.Open(spec, context.ManifestDirectory, context.Environment, context.Secrets);
                records = [.. (await new BackupCatalog(destination).ListAsync(cancel).ConfigureAwait(false)).Where(r => r.Name == name)];
            }
            catch (BackupException e)
            {
                findings.Add(new(Name, $"backup {name}", PreflightStatus.Fail, $"the catalog at {spec.Destination} cannot be read: {e.Message}",
                    $"make {spec.Destination} reachable (and its credentials set), then slipway backup run {name}"));
                continue;
            }
            finally
            {
                // An S3 destination holds an SDK client (its connections and buffers) that only Dispose lets go.
                (destination as IDisposable)?.Dispose();
            }

            findings.Add(Taken(context, name, spec, records));
            findings.Add(Verified(context, name, spec, records));
            if (spec.Rto is not null || spec.Rpo is not null)
            {
                findings.Add(Drilled(context, name));
            }
        }

        return findings;
    }

    private PreflightFinding Taken(PreflightContext context, string name, BackupSpec spec, IReadOnlyList<BackupRecord> records)
    {
        var subject = $"backup {name}";
        var last = records.Where(r => r.Status == BackupStatus.Succeeded).MaxBy(r => r.FinishedAt);
        if (last is null)
        {
            var attempts = records.Count == 0 ? "no backup has run" : $"{records.Count} attempt{(records.Count == 1 ? "" : "s")}, none succeeded (newest: {records.MaxBy(r => r.StartedAt)!.Error})";
            return new(Name, subject, spec.Schedule is null ? PreflightStatus.Warn : PreflightStatus.Fail, $"never succeeded: {attempts}", $"slipway backup run {name}");
        }

        var evidence = $"newest success {last.Id} at {PreflightText.Time(last.FinishedAt)}";
        if (spec.Schedule is not { } schedule)
        {
            return new(Name, subject, PreflightStatus.Warn, $"{evidence}; no schedule, so only a person takes the next one", "add a schedule such as \"0 2 * * *\"");
        }

        return Overdue(context, schedule, last.FinishedAt) is { } due
            ? new(Name, subject, PreflightStatus.Fail, $"{evidence}; the run due at {PreflightText.Time(due)} (schedule {schedule}) has not succeeded",
                $"slipway backup run {name}, and read slipway events --service {name} for why the scheduled one failed")
            : PreflightFinding.Ok(Name, subject, $"{evidence}, within its schedule {schedule}");
    }

    private PreflightFinding Verified(PreflightContext context, string name, BackupSpec spec, IReadOnlyList<BackupRecord> records)
    {
        var subject = $"backup {name} verify";
        var verifications = records.Where(r => r.Verification is not null).Select(r => (r.Id, Verification: r.Verification!)).OrderBy(v => v.Verification.StartedAt).ToList();
        if (verifications.Count > 0 && !verifications[^1].Verification.Succeeded)
        {
            var (id, failed) = verifications[^1];
            return new(Name, subject, PreflightStatus.Fail, $"the newest restore of {id} at {PreflightText.Time(failed.StartedAt)} failed: {failed.Error}", $"slipway backup verify {name} once the cause is fixed");
        }

        if (spec.Verify.Schedule is not { } schedule)
        {
            return new(Name, subject, PreflightStatus.Warn, "no verify.schedule: no restore proves the backups", "add verify: { schedule: \"@weekly\" }");
        }

        if (verifications.Count == 0)
        {
            return new(Name, subject, PreflightStatus.Fail, "never verified by a restore", $"slipway backup verify {name}");
        }

        var (newest, verification) = verifications[^1];
        var evidence = $"{newest} restored and queried at {PreflightText.Time(verification.StartedAt)}";
        return Overdue(context, schedule, verification.StartedAt) is { } due
            ? new(Name, subject, PreflightStatus.Fail, $"{evidence}; the verification due at {PreflightText.Time(due)} (schedule {schedule}) has not happened", $"slipway backup verify {name}")
            : PreflightFinding.Ok(Name, subject, $"{evidence}, within its schedule {schedule}");
    }

    private PreflightFinding Drilled(PreflightContext context, string name)
    {
        var subject = $"backup {name} drill";
        var drill = context.Store?.Events(name, 200).LastOrDefault(e =>
            e.Kind is EventKinds.BackupVerified or EventKinds.BackupVerifyFailed && e.Message.StartsWith("drill", StringComparison.Ordinal));
        if (drill is null)
        {
            return new(Name, subject, PreflightStatus.Warn, "no drill has measured the RTO and RPO yet", $"slipway drill {name}");
        }

        return drill.Kind == EventKinds.BackupVerified && !drill.Message.Contains("objective missed", StringComparison.Ordinal)
            ? PreflightFinding.Ok(Name, subject, $"{drill.Message} (at {PreflightText.Time(drill.Time)})")
            : new(Name, subject, PreflightStatus.Fail, $"{drill.Message} (at {PreflightText.Time(drill.Time)})", $"make restores faster or the objective realistic, then slipway drill {name}");
    }

    /// <summary>The first run due after <paramref name="since"/>, when it is more than <see cref="Grace"/> in the past.</summary>
    private static DateTimeOffset? Overdue(PreflightContext context, CronExpression schedule, DateTimeOffset since)
    {
        var now = context.Time.GetUtcNow();
        return schedule.GetNextOccurrence(since, context.Time.LocalTimeZone) is { } due && due + Grace < now ? due : null;
    }
}
