using Slipway.Control.Telemetry;

namespace Slipway.Control.Alerts;

/// <summary>
/// <c>slipway_backup_last_success_timestamp_seconds</c>, <c>slipway_backup_last_failed</c> and
/// <c>slipway_tls_certificate_expiry_timestamp_seconds</c>: what <c>backup_age</c>, <c>backup_failed</c> and
/// <c>certificate_expiry</c> read, from the same <see cref="AlertInputs"/> callbacks, so a rendered Prometheus rule
/// and Slipway's own engine see the same numbers. Labelled <c>backup</c> and <c>certificate</c>, as the alert
/// language's matchers are. A backup that never succeeded has no last-success sample (there is no time to give);
/// <c>slipway_backup_watched_since_timestamp_seconds</c> is what <c>backup_age</c> counts from until then, in
/// Slipway's engine and in the rendered rule alike, so a backup that never succeeds still goes stale.
/// </summary>
/// <param name="watchedSince">When the daemon began watching its backups (its start).</param>
internal sealed class BackupCertificateMetricsSource(
    Func<IReadOnlyList<BackupState>> backups,
    Func<IReadOnlyList<(string Certificate, DateTimeOffset NotAfter)>>? certificates,
    DateTimeOffset watchedSince) : IMetricsSource
{
    public void WriteMetrics(MetricsWriter writer)
    {
        var states = backups().OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
        writer.Family("slipway_backup_last_success_timestamp_seconds", "gauge", "When the newest successful backup finished, in Unix seconds; absent before the first.");
        foreach (var backup in states)
        {
            if (backup.LastSuccess is { } at)
            {
                writer.Sample([new("backup", backup.Name)], at.ToUnixTimeMilliseconds() / 1000.0);
            }
        }

        writer.Family("slipway_backup_watched_since_timestamp_seconds", "gauge", "When this daemon began watching the backup, in Unix seconds; backup age counts from it until the first success.");
        foreach (var backup in states)
        {
            writer.Sample([new("backup", backup.Name)], watchedSince.ToUnixTimeSeconds());
        }

        writer.Family("slipway_backup_last_failed", "gauge", "1 when the newest backup attempt failed, else 0.");
        foreach (var backup in states)
        {
            writer.Sample([new("backup", backup.Name)], backup.LastFailed ? 1 : 0);
        }

        writer.Family("slipway_tls_certificate_expiry_timestamp_seconds", "gauge", "When the proxy's TLS certificate expires (its NotAfter), in Unix seconds.");
        foreach (var (certificate, notAfter) in (certificates?.Invoke() ?? []).OrderBy(c => c.Certificate, StringComparer.Ordinal))
        {
            writer.Sample([new("certificate", certificate)], notAfter.ToUnixTimeSeconds());
        }
    }
}
