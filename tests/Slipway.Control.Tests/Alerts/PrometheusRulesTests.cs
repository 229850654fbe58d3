using Slipway.Control.Alerts;
using Slipway.Core.Manifest;
using Slipway.Testing;

namespace Slipway.Control.Tests.Alerts;

public sealed class PrometheusRulesTests
{
    private static readonly string Manifest = """
        app: shop
        services:
          api:
            run: { command: x }
            resources: { memory: 100MB, cpu: 2 }
            slo: { availability: 99.5% }
          web:
            run: { command: x }
        alerts:
          rules:
            - high-error-rate
            - high-latency
            - instance-down
            - crash-looping
            - high-memory
            - high-cpu
            - backup-stale
            - backup-failed
            - slo-burn-rate
            - name: flapping
              expr: 'instance_restarts(service!="web")[10m] > 3'
              keepFiringFor: 5m
              labels: { team: core }
              annotations: { summary: '{{ $labels.instance }} restarted {{ $value }} times' }
            - { name: quiet, expr: 'rate(service="api", route="api#0")[1m] < 0.5', severity: info }
            - { name: payments-failing, expr: 'app_ratio("payments_failed_total", "payments_total", service="api")[5m] > 5%' }
            - { name: no-jobs, expr: 'app_rate("jobs_done_total", queue!="bulk")[10m] < 0.1 and app_value("queue_depth") > 100' }
        """;

    private static string Render(string yaml) =>
        PrometheusRules.Render(ManifestLoader.LoadText(yaml.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath()).Manifest!);

    [Fact]
    public void Render_TranslatesEachFunctionToPromQl_WithLimitsAndBudgetsFromTheManifest()
    {
        var text = Render(Manifest);

        Assert.Contains("""expr: "(sum by (service) (rate(slipway_http_requests_total{code=~\"5..\"}[5m])) / sum by (service) (rate(slipway_http_requests_total[5m]))) > 0.05""", text, StringComparison.Ordinal);
        Assert.Contains("""expr: "(histogram_quantile(0.95, sum by (service, le) (rate(slipway_http_request_duration_seconds_bucket[5m])))) > 2""", text, StringComparison.Ordinal);
        Assert.Contains("""expr: "((slipway_instance_memory_bytes{service=\"api\"} / 104857600)) > 0.9""", text, StringComparison.Ordinal);
        Assert.Contains("""/ 0.005)) > 14.4 and ((sum by (service)""", text, StringComparison.Ordinal);
        Assert.Contains("""expr: "(increase(slipway_instance_restarts_total{service!=\"web\"}[10m])) > 3""", text, StringComparison.Ordinal);
        Assert.Contains("""expr: "(sum by (service, revision) (rate(payments_failed_total{service=\"api\"}[5m])) / sum by (service, revision) (rate(payments_total{service=\"api\"}[5m]))) > 0.05""", text, StringComparison.Ordinal);
        Assert.Contains("""expr: "(sum by (service, revision) (rate(jobs_done_total{queue!=\"bulk\"}[10m]))) < 0.1 and (sum by (service, revision) (queue_depth)) > 100""", text, StringComparison.Ordinal);
        Assert.Contains("        keep_firing_for: 5m\n", text, StringComparison.Ordinal);
        Assert.Contains("          window: \"slow\"\n", text, StringComparison.Ordinal);
        Assert.Contains("          summary: \"{{ $labels.instance }} restarted {{ $value }} times\"\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RuleWithNothingToWatch_IsLeftOutWithAComment()
    {
        var text = Render("""
            app: shop
            services: { web: { run: { command: x } } }
            alerts: { rules: [ high-memory, slo-burn-rate ] }
            """);

        Assert.Contains("# high-memory: no service has what `instance_memory_ratio > 90%` reads; left out", text, StringComparison.Ordinal);
        Assert.DoesNotContain("- alert:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_PassesPromtoolCheckRules()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("rules.yml");
        await File.WriteAllTextAsync(file, Render(Manifest));

        var (exit, output) = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["check", "rules", file]);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: 14 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_BackupStale_FiresInPrometheusForABackupThatNeverSucceeded()
    {
        var rules = Render("""
            app: shop
            alerts: { rules: [ backup-stale ] }
            """);
        var exprLine = rules.Split('\n').Single(l => l.TrimStart().StartsWith("expr:", StringComparison.Ordinal));
        var expr = System.Text.Json.JsonSerializer.Deserialize<string>(exprLine.Trim()["expr:".Length..].Trim())!;
        using var dir = new TempDirectory();
        var file = dir.Combine("test.yml");

        // Watched since the epoch; "orders" succeeded at 25h, "main" never: at 27h only "main" is over 26h old.
        await File.WriteAllTextAsync(file, $$"""
            tests:
              - interval: 1m
                input_series:
                  - { series: 'slipway_backup_watched_since_timestamp_seconds{backup="main"}', values: '0x1700' }
                  - { series: 'slipway_backup_watched_since_timestamp_seconds{backup="orders"}', values: '0x1700' }
                  - { series: 'slipway_backup_last_success_timestamp_seconds{backup="orders"}', values: '90000x1700' }
                promql_expr_test:
                  - expr: {{System.Text.Json.JsonSerializer.Serialize(expr)}}
                    eval_time: 27h
                    exp_samples:
                      - { labels: '{backup="main"}', value: 97200 }
            """);

        var (exit, output) = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["test", "rules", file]);

        Assert.True(exit == 0, expr + "\n" + output);
    }
}
