using Slipway.Control.Alerts;
using Slipway.Control.Telemetry;
using Slipway.Testing;

namespace Slipway.Control.Tests.Alerts;

public sealed class BackupCertificateMetricsSourceTests
{
    private static readonly DateTimeOffset Finished = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = new(2027, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Started = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static string Write() => new MetricsExposition(
    [
        new BackupCertificateMetricsSource(
            () => [new BackupState("orders", Finished, LastFailed: true), new BackupState("main", null, LastFailed: false)],
            () => [("certs/site.pem", NotAfter)],
            Started),
    ]).Write();

    [Fact]
    public void WriteMetrics_ExportsWhatBackupAndCertificateRulesRead_UnderTheirRenderedNames()
    {
        var text = Write();

        Assert.Contains("# TYPE slipway_backup_last_success_timestamp_seconds gauge\n", text, StringComparison.Ordinal);
        Assert.Contains($"slipway_backup_last_success_timestamp_seconds{{backup=\"orders\"}} {Finished.ToUnixTimeSeconds()}\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("slipway_backup_last_success_timestamp_seconds{backup=\"main\"}", text, StringComparison.Ordinal);
        Assert.Contains($"slipway_backup_watched_since_timestamp_seconds{{backup=\"main\"}} {Started.ToUnixTimeSeconds()}\n", text, StringComparison.Ordinal);
        Assert.Contains("slipway_backup_last_failed{backup=\"main\"} 0\nslipway_backup_last_failed{backup=\"orders\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"slipway_tls_certificate_expiry_timestamp_seconds{{certificate=\"certs/site.pem\"}} {NotAfter.ToUnixTimeSeconds()}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteMetrics_NamesMatchTheRenderedRules()
    {
        var manifest = Slipway.Core.Manifest.ManifestLoader.LoadText("""
            app: shop
            alerts: { rules: [ backup-stale, backup-failed, certificate-expiring ] }
            """, "app.yaml", Path.GetTempPath()).Manifest!;
        var rules = PrometheusRules.Render(manifest);
        var text = Write();

        foreach (var family in new[] { "slipway_backup_last_success_timestamp_seconds", "slipway_backup_watched_since_timestamp_seconds", "slipway_backup_last_failed", "slipway_tls_certificate_expiry_timestamp_seconds" })
        {
            Assert.Contains(family, rules, StringComparison.Ordinal);
            Assert.Contains($"# TYPE {family} gauge\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WriteMetrics_PassesPromtoolCheckMetrics()
    {
        var (exit, output) = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["check", "metrics"], Write());

        Assert.True(exit == 0 && output.Trim().Length == 0, output);
    }
}
