using Slipway.Core.Alerting;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Alerts;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Routing;
using Slipway.Testing;

namespace Slipway.Control.Tests.Alerts;

public sealed class AlertEngineTests
{
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly List<InstanceStatus> _instances = [];
    private readonly List<BackupState> _backups = [];
    private readonly List<(string, DateTimeOffset)> _certificates = [];
    private readonly RequestMetricsStore _store;

    public AlertEngineTests() => _store = new RequestMetricsStore(_time);

    private static AppManifest Manifest(string alerts) => ManifestLoader.LoadText($"""
        app: shop
        services:
          api:
            run: {"{"} command: x {"}"}
            resources: {"{"} memory: 100MB, cpu: 2 {"}"}
            slo: {"{"} availability: 99% {"}"}
          web:
            run: {"{"} command: x {"}"}
        alerts:
        {alerts}
        """.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath()) is { IsValid: true } result ? result.Manifest! : throw new InvalidOperationException("invalid test manifest");

    private AlertEngine Engine(string alerts)
    {
        var manifest = Manifest(alerts);
        return new AlertEngine(BuiltInRules.Expand(manifest.Alerts), new AlertInputs(manifest, _store, () => _instances, () => _backups, () => _certificates),
            _time, TimeSpan.FromSeconds(10), NullLogger.Instance);
    }

    private void Requests(string service, int status, int count, double milliseconds = 10)
    {
        var sample = new RequestSample(service, "1", service + "#0", null, status, TimeSpan.FromMilliseconds(milliseconds), 0, 0, false, false);
        for (var i = 0; i < count; i++)
        {
            _store.Record(in sample);
        }
    }

    private static InstanceStatus Instance(string id, bool ready = true, int restarts = 0, bool crashLooping = false, double cpu = 10, long rss = 10_000_000) =>
        new(id, id.Split('-')[0], "1", InstancePhase.Running, ready, 1234, 5000, restarts, crashLooping, null, cpu, rss);

    [Fact]
    public void Evaluate_HighErrorRate_FiresPerServiceAfterFiveMinutes()
    {
        using var engine = Engine("  rules: [ high-error-rate ]");
        Requests("api", 500, 10);
        Requests("api", 200, 90);
        Requests("web", 500, 1);
        Requests("web", 200, 99);

        var first = Assert.Single(engine.Evaluate());
        Assert.Equal(("api", AlertState.Pending), (first.Labels["service"], first.State));
        for (var i = 0; i < 30; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            Requests("api", 500, 1);
            Requests("api", 200, 9);
        }

        var firing = Assert.Single(engine.Evaluate());
        Assert.Equal(AlertState.Firing, firing.State);
        Assert.Equal("critical", firing.Severity);
        Assert.Equal(0.1, firing.Value, 6);
        Assert.Equal("api answers 0.1 of requests with 5xx", firing.Annotations["summary"]);
    }

    [Fact]
    public void Evaluate_CustomRules_ReadQuantileRateAndMatchers()
    {
        using var engine = Engine("""
              rules:
                - { name: slow, expr: "quantile(0.9, service=\"api\")[1m] > 400ms" }
                - { name: quiet, expr: "rate[1m] < 0.5", severity: info }
            """);
        Requests("api", 200, 50, milliseconds: 900);
        Requests("web", 200, 50, milliseconds: 900);

        var alerts = engine.Evaluate();

        var slow = Assert.Single(alerts, a => a.Name == "slow");
        Assert.Equal("api", slow.Labels["service"]);
        Assert.InRange(slow.Value, 0.5, 1.0);
        Assert.DoesNotContain(alerts, a => a.Name == "quiet");
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(["api", "web"], engine.Evaluate().Where(a => a.Name == "quiet").Select(a => a.Labels["service"]).Order());
    }

    [Fact]
    public void Evaluate_InstanceRules_AlertPerInstance()
    {
        using var engine = Engine("""
              rules:
                - { name: instance-down, for: 0 }
                - crash-looping
                - { name: high-memory, for: 0 }
                - { name: high-cpu, for: 0 }
                - { name: flapping, expr: "instance_restarts[1m] > 2" }
            """);
        _instances.Add(Instance("api-1", ready: false, restarts: 0));
        _instances.Add(Instance("api-2", rss: 95_000_000, cpu: 190));
        _instances.Add(Instance("web-1", crashLooping: true, rss: 95_000_000, cpu: 95));
        engine.Evaluate();
        _instances[2] = Instance("web-1", crashLooping: true, restarts: 3, rss: 95_000_000, cpu: 95);
        _time.Advance(TimeSpan.FromSeconds(10));

        var alerts = engine.Evaluate().Where(a => a.State == AlertState.Firing).Select(a => $"{a.Name} {a.Labels["instance"]}").Order();

        // web has no memory limit, and one core is its 100 %; api's limit is 100MB and it has 2 cores.
        Assert.Equal(["crash-looping web-1", "flapping web-1", "high-cpu api-2", "high-cpu web-1", "high-memory api-2", "instance-down api-1"], alerts);
    }

    [Fact]
    public void Evaluate_BackupRules_UseTheLatestRecords()
    {
        using var engine = Engine("  rules: [ backup-stale, backup-failed ]");
        _backups.Add(new BackupState("main-db", _time.GetUtcNow() - TimeSpan.FromHours(30), LastFailed: true));
        _backups.Add(new BackupState("logs-db", _time.GetUtcNow() - TimeSpan.FromHours(1), LastFailed: false));

        var alerts = engine.Evaluate().Select(a => $"{a.Name} {a.Labels["backup"]} {a.State}").Order();

        Assert.Equal(["backup-failed main-db Firing", "backup-stale main-db Firing"], alerts);
    }

    [Fact]
    public void Evaluate_CertificateExpiring_WarnsInsideFourteenDays()
    {
        using var engine = Engine("  rules: [ certificate-expiring ]");
        _certificates.Add(("certs/shop.pem", _time.GetUtcNow() + TimeSpan.FromDays(15)));
        Assert.Empty(engine.Evaluate());

        _time.Advance(TimeSpan.FromDays(2));
        var alert = Assert.Single(engine.Evaluate());

        Assert.Equal(("certs/shop.pem", "warning", AlertState.Firing), (alert.Labels["certificate"], alert.Severity, alert.State));
        Assert.Equal(TimeSpan.FromDays(13).TotalSeconds, alert.Value);
    }

    [Fact]
    public void Evaluate_SloBurnRate_FastAndSlowPairsFireForAServiceWithAnSlo()
    {
        using var engine = Engine("  rules: [ { name: slo-burn-rate, for: 0 } ]");

        // 20 % errors against a 1 % budget: a burn rate of 20 in every window; web has no slo.
        for (var minute = 0; minute < 60; minute++)
        {
            Requests("api", 500, 2);
            Requests("api", 200, 8);
            Requests("web", 500, 10);
            _time.Advance(TimeSpan.FromMinutes(1));
            engine.Evaluate();
        }

        var alerts = engine.Evaluate().OrderBy(a => a.Labels["window"]).ToList();
        Assert.Equal(["api fast critical Firing", "api slow warning Firing"], alerts.Select(a => $"{a.Labels["service"]} {a.Labels["window"]} {a.Severity} {a.State}"));
        Assert.Equal(20, alerts[0].Value, 6);
    }

    [Fact]
    public void Evaluate_WindowLongerThanTheStore_ReadsTheMinuteHistory()
    {
        using var engine = Engine("  rules: [ { name: budget, expr: \"burn_rate[2h] > 9\" } ]");
        engine.Evaluate();
        for (var minute = 0; minute < 120; minute++)
        {
            Requests("api", minute < 60 ? 500 : 200, 2);
            Requests("api", 200, 8);
            _time.Advance(TimeSpan.FromMinutes(1));
            engine.Evaluate();
        }

        // The store keeps one hour, which holds no error; two hours hold 120 errors in 1200 requests: 10 % / 1 %.
        Assert.Equal(0, _store.Last(TimeSpan.FromHours(1), "api").Errors);
        Assert.Equal(10, Assert.Single(engine.Evaluate()).Value, 1);
    }

    [Fact]
    public void WriteMetrics_CountsFiringAlertsPerRuleAndSeverity()
    {
        using var engine = Engine("  rules: [ { name: instance-down, for: 0 }, crash-looping ]");
        _instances.Add(Instance("api-1", ready: false));
        _instances.Add(Instance("api-2", ready: false));
        engine.Evaluate();
        var text = new StringBuilder();

        engine.WriteMetrics(new MetricsWriter(text));

        Assert.Contains("slipway_alerts_firing{alertname=\"instance-down\",severity=\"critical\"} 2\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("slipway_alerts_firing{alertname=\"crash-looping\",severity=\"critical\"} 0\n", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_EvaluatesEveryInterval_OnTheTimeProvider()
    {
        using var engine = Engine("  rules: [ { name: instance-down, for: 15s } ]");
        _instances.Add(Instance("api-1", ready: false));
        engine.Start();

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(AlertState.Pending, Assert.Single(engine.Current).State);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(AlertState.Pending, Assert.Single(engine.Current).State);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(AlertState.Firing, Assert.Single(engine.Current).State);
    }

    [Fact]
    public void Evaluate_AppRatioOverScrapedCounters_FiresPerServiceAndRevision()
    {
        var manifest = Manifest("""
              rules:
                - name: payments-failing
                  expr: 'app_ratio("payments_failed_total", "payments_total", service="api")[1m] > 10%'
                  annotations: { summary: '{{ $labels.service }} revision {{ $labels.revision }} fails {{ $value }} of payments' }
            """);
        var applications = new ApplicationMetricsStore();
        using var engine = new AlertEngine(BuiltInRules.Expand(manifest.Alerts),
            new AlertInputs(manifest, _store, () => _instances, () => _backups, Applications: applications), _time, TimeSpan.FromSeconds(10), NullLogger.Instance);
        void Scrape(string revision, int failed, int total) => applications.Record(new ScrapeTarget("api", revision, $"api-{revision}-0"),
            PrometheusTextParser.Parse($"payments_failed_total {failed}\npayments_total {total}\n"), _time.GetUtcNow());

        Scrape("1", 0, 0);
        Scrape("2", 0, 0);
        Assert.Empty(engine.Evaluate());
        _time.Advance(TimeSpan.FromSeconds(10));
        Scrape("1", 1, 100);
        Scrape("2", 20, 100);

        var alert = Assert.Single(engine.Evaluate());
        Assert.Equal((AlertState.Firing, "api", "2"), (alert.State, alert.Labels["service"], alert.Labels["revision"]));
        Assert.Equal("api revision 2 fails 0.2 of payments", alert.Annotations["summary"]);
    }

    [Fact]
    public void Evaluate_RateOnAFreshDaemon_DividesByTheTimeWatchedNotTheWholeWindow()
    {
        using var engine = Engine("  rules: [ { name: busy, expr: 'rate(service=\"api\")[5m] >= 0' } ]");
        _time.Advance(TimeSpan.FromSeconds(30));
        Requests("api", 200, 30);

        // 30 requests in the 30 s watched: 1/s, though over the nominal 5 m it would read 0.1/s.
        var alert = Assert.Single(engine.Evaluate());
        Assert.Equal(1.0, alert.Value, 6);

        _time.Advance(TimeSpan.FromMinutes(10));
        Requests("api", 200, 30);
        Assert.Equal(0.1, Assert.Single(engine.Evaluate()).Value, 6);
    }
}
