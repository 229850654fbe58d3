using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Control.Analysis;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Kubernetes.Tests.Analysis;

/// <summary>
/// The rendered AnalysisTemplate measures what Slipway's local analyzer measures, with the same window and threshold:
/// the same requests (one minute of them, in the cluster's metric names and in the analyzer's counters) are evaluated
/// by a real Prometheus engine (<c>promtool test rules</c>) through the rendered queries and by
/// <see cref="CanaryAnalyzer"/>; the numbers agree, and so do the verdicts the success conditions give.
/// </summary>
public sealed class AnalysisQueriesTests
{
    private const string Manifest = """
        app: shop
        services:
          api:
            image: "registry.example.com/api:${VERSION}"
            run: { command: api }
            replicas: 4
            routes: [ { host: api.example.com, path: / } ]
            deploy:
              strategy: canary
              steps: [ { weight: 25, pause: 5m } ]
              analysis: { interval: 1m, maxErrorRate: 1%, maxP95: 500ms, minRequests: 20, compareToStable: true }
        kubernetes: { traffic: ingress }
        """;

    public static TheoryData<string, double, double, double, double, double, string> Scenarios => new()
    {
        // name, canary requests/s, canary errors/s, canary latency (s), stable requests/s, stable errors/s. Rates are
        // sums of powers of two (so the counters promtool adds up second by second are exact) and whole per minute.
        { "healthy", 32, 0.25, 0.06, 64, 0.25, "Pass" },
        { "erroring", 32, 1, 0.06, 64, 0.25, "Fail" },
        { "slow", 32, 0, 0.9, 64, 0, "Fail" },
        { "too-few-requests", 0.25, 0.25, 2, 64, 0, "Inconclusive" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Queries_SameRequests_MeasureWhatTheLocalAnalyzerMeasures(string scenario, double canaryRps, double canaryErrors, double canaryLatency, double stableRps, double stableErrors, string verdict)
    {
        var template = Rendering.ReadBack(Rendering.Render(Manifest)).Single(o => (string)o["kind"]! == "AnalysisTemplate" && (string)o["metadata"]!["name"]! == "api-analysis");
        var metrics = template["spec"]!["metrics"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => m!);
        Assert.All(metrics.Values, m => Assert.Equal("1m", (string)m!["interval"]!));

        var window = TimeSpan.FromMinutes(1);
        var canary = Stats(canaryRps, canaryErrors, canaryLatency, window);
        var stable = Stats(stableRps, stableErrors, 0.06, window);
        var local = new CanaryAnalyzer(new AnalysisSpec { Interval = window, MaxErrorRate = new(1), MaxP95 = TimeSpan.FromMilliseconds(500), MinRequests = 20 })
            .Evaluate(canary, stable);
        Assert.Equal(verdict, local.Verdict.ToString());
        var judged = local.Verdict != AnalysisVerdict.Inconclusive;

        // What the cluster's Prometheus answers must be what the local analyzer measured (0 where it judged nothing).
        var expected = new Dictionary<string, double>
        {
            ["error-rate"] = judged ? canary.ErrorRate : 0,
            ["p95"] = judged ? canary.Quantile(0.95)!.Value.TotalSeconds : 0,
            ["error-rate-vs-stable"] = local.Checks.Any(c => c is { Name: "error-rate-vs-stable", Verdict: AnalysisVerdict.Fail }) ? 1 : 0,
        };
        await AssertPrometheusAnswersAsync(scenario, metrics, expected, canaryRps, canaryErrors, canaryLatency, stableRps, stableErrors);

        // And Argo's success conditions, applied to those answers, give the local verdicts.
        foreach (var (name, value) in expected)
        {
            var passes = Succeeds((string)metrics[name]!["successCondition"]!, value);
            var check = local.Checks.FirstOrDefault(c => c.Name == name);
            Assert.True(check is null ? passes : passes == (check.Verdict != AnalysisVerdict.Fail), $"{scenario} {name}: condition {(passes ? "passes" : "fails")}, local {check?.Verdict}");
        }
    }

    private static async Task AssertPrometheusAnswersAsync(string scenario, Dictionary<string, JsonNode> metrics, Dictionary<string, double> expected,
        double canaryRps, double canaryErrors, double canaryLatency, double stableRps, double stableErrors)
    {
        var series = new StringBuilder();
        Series(series, "api-canary", canaryRps, canaryErrors, canaryLatency);
        Series(series, "api", stableRps, stableErrors, 0.06);
        var tests = new StringBuilder();
        foreach (var (name, value) in expected)
        {
            tests.Append(CultureInfo.InvariantCulture, $"      - expr: {JsonSerializer.Serialize((string)metrics[name]!["provider"]!["prometheus"]!["query"]!)}\n");
            tests.Append(CultureInfo.InvariantCulture, $"        eval_time: 10m\n        exp_samples:\n          - {{ labels: '{{}}', value: {value.ToString("R", CultureInfo.InvariantCulture)} }}\n");
        }

        using var dir = new TempDirectory();
        var file = dir.Combine("analysis.yml");
        await File.WriteAllTextAsync(file, $"tests:\n  - interval: 1s\n    input_series:\n{series}    promql_expr_test:\n{tests}");

        var (exit, output) = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["test", "rules", file]);

        Assert.True(exit == 0, $"{scenario}:\n{output}");
    }

    /// <summary>Counters scraped every second for 15 minutes, rising at the given rates, in ingress-nginx's names.</summary>
    private static void Series(StringBuilder text, string service, double rps, double errorsPerSecond, double latency)
    {
        var labels = $"namespace=\"shop\",service=\"{service}\"";
        void Add(string name, string extra, double perSecond) =>
            text.Append(CultureInfo.InvariantCulture, $"      - {{ series: '{name}{{{labels}{extra}}}', values: '1000+{perSecond.ToString("R", CultureInfo.InvariantCulture)}x900' }}\n");

        Add("nginx_ingress_controller_requests", ",status=\"200\"", rps - errorsPerSecond);
        Add("nginx_ingress_controller_requests", ",status=\"503\"", errorsPerSecond);
        var slow = LatencyBuckets.IndexOf(latency);
        foreach (var (bound, i) in LatencyBuckets.UpperBounds.Select((b, i) => (b, i)).Append((double.PositiveInfinity, LatencyBuckets.UpperBounds.Length)))
        {
            var le = double.IsPositiveInfinity(bound) ? "+Inf" : bound.ToString("R", CultureInfo.InvariantCulture);
            Add("nginx_ingress_controller_request_duration_seconds_bucket", $",le=\"{le}\"", i >= slow ? rps : 0);
        }
    }

    /// <summary>The analyzer's counters for <paramref name="window"/> of the same steady traffic.</summary>
    private static RequestStats Stats(double rps, double errorsPerSecond, double latency, TimeSpan window)
    {
        var counters = new long[CounterSlots.Stride];
        var seconds = window.TotalSeconds;
        counters[CounterSlots.Classes + 1] = (long)Math.Round((rps - errorsPerSecond) * seconds);
        counters[CounterSlots.Classes + 4] = (long)Math.Round(errorsPerSecond * seconds);
        counters[CounterSlots.Buckets + LatencyBuckets.IndexOf(latency)] = (long)Math.Round(rps * seconds);
        return new RequestStats(counters, window);
    }

    /// <summary>Argo Rollouts' conditions as rendered: <c>result[0] &lt;= N</c> or <c>result[0] == N</c>.</summary>
    private static bool Succeeds(string condition, double value)
    {
        var parts = condition.Split(' ');
        var limit = double.Parse(parts[2], CultureInfo.InvariantCulture);
        return parts[1] switch
        {
            "<=" => value <= limit,
            "==" => value == limit,
            _ => throw new InvalidOperationException($"unexpected condition {condition}"),
        };
    }
}
