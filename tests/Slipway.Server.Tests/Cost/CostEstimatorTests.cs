using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Cost;
using Slipway.Testing;

namespace Slipway.Server.Tests.Cost;

/// <summary>
/// The arithmetic on examples/shop, every figure worked out by hand below from a price table with round numbers:
/// an instance pays (cores × 0.04 + GB × 0.008) × 700 hours, so the api's 0.5 cores and 256MB cost 15.40 a month and
/// an instance at the assumed 0.25 cores and 512MB costs 9.80; a GB is 2^30 bytes; a month is 700 × 3600 = 2,520,000 s.
/// </summary>
public sealed class CostEstimatorTests
{
    private const string Prices = """
        source: "round numbers for a test"
        date: 2026-01-01
        currency: USD
        hoursPerMonth: 700
        compute: { cpuHour: 0.04, memoryGbHour: 0.008 }
        storage: { disk: 0.1, object: 0.02 }
        egressGb: 0.05
        kubernetes:
          node: n2
          shapes:
            n2: { cpu: 2, memory: 4GB, hourly: 0.1 }
        assumed: { cpu: 0.25, memory: 512MB, rpsPer1kUsers: 100, bytesPerRequest: 64KB, state: 2GB, backup: 3GB }
        """;

    private static readonly AppManifest Shop = LoadShop();

    [Fact]
    public void Estimate_ShopFromTheManifestAlone_ReplicasTimesResourcesPlusStorage()
    {
        var now = CostEstimator.Estimate(Shop, Table(), null, null);

        // api 3 × 15.40, web 2 × 9.80, worker and cache 1 × 9.80 each; legacy is not run by Slipway.
        Assert.Equal([("api", 3, 46.2), ("cache", 1, 9.8), ("legacy", 0, 0), ("web", 2, 19.6), ("worker", 1, 9.8)],
            now.Services.Select(s => (s.Name, s.Instances, Math.Round(s.Compute, 6))));
        Assert.All(now.Services, s => Assert.Equal(0, s.Egress));
        Assert.Equal(["cpu", "memory", "rps"], now.Services.Single(s => s.Name == "web").Assumed);
        Assert.Equal(["rps"], now.Services.Single(s => s.Name == "api").Assumed);

        // state 2GB (assumed), logs at logs.maxSize 1GB, main-db 20 kept (3 + 7 + 4 + 6) × 3GB: 63GB × 0.1.
        Assert.Equal([("state", 2.0, 0.2), ("logs", 1.0, 0.1), ("backup main-db", 60.0, 6.0)],
            now.Storage.Select(s => (s.Name, s.Gb, Math.Round(s.Monthly, 6))));
        Assert.Equal(91.7, now.Total, 6);

        // Requests: 3 × 0.5 + 4 × 0.25 = 2.5 cores, 3 × 0.25 + 4 × 0.5 = 2.75 GB: two 2-core nodes at 0.1 × 700.
        Assert.Equal(("n2", 2, 2.5, 2.75, 140.0), (now.Kubernetes.Shape, now.Kubernetes.Nodes, now.Kubernetes.CpuRequested, now.Kubernetes.MemoryGbRequested, Math.Round(now.Kubernetes.Monthly, 6)));
    }

    [Fact]
    public void Estimate_ShopAt10kAnd100kUsers_RequestsGrowLinearlyAndTheApiFollowsItsRpsTarget()
    {
        var at10k = CostEstimator.Estimate(Shop, Table(), null, new CostScale("10k", 10_000));

        // 10 × 100 = 1000 requests/s to each routed service; api: 1000 / rpsPerInstance 200 = 5 instances (3..8).
        var api = at10k.Services.Single(s => s.Name == "api");
        Assert.Equal((5, 1000.0, 77.0), (api.Instances, api.RequestsPerSecond, Math.Round(api.Compute, 6)));

        // Egress: 1000 × 64KiB × 2,520,000 s / 2^30 = 153,808.59375 GB, × 0.05.
        Assert.Equal(153_808.59375, api.EgressGb, 6);
        Assert.Equal(7_690.4296875, api.Egress, 6);
        var web = at10k.Services.Single(s => s.Name == "web");
        Assert.Equal((2, 19.6, 7_690.4296875), (web.Instances, Math.Round(web.Compute, 6), Math.Round(web.Egress, 7)));
        Assert.Equal(0, at10k.Services.Single(s => s.Name == "worker").RequestsPerSecond);

        // 77 + 19.6 + 9.8 + 9.8 + 6.3 storage + 2 × 7,690.4296875 egress.
        Assert.Equal(15_503.359375, at10k.Total, 6);
        Assert.Equal((3.5, 3.25, 2), (at10k.Kubernetes.CpuRequested, at10k.Kubernetes.MemoryGbRequested, at10k.Kubernetes.Nodes));

        // 100k: 10,000 requests/s would need 50 api instances; autoscale.max holds it to 8.
        var at100k = CostEstimator.Estimate(Shop, Table(), null, new CostScale("100k", 100_000)).Services.Single(s => s.Name == "api");
        Assert.Equal((8, 123.2), (at100k.Instances, Math.Round(at100k.Compute, 6)));
        Assert.Contains("needs 50, held to 3–8", at100k.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_WithMeasurements_UsesThemAndSaysSo()
    {
        var measured = new CostMeasurements(300, StateBytes: 1L << 29, LogBytes: 0,
            [
                new ServiceMeasurement("api", 3, CpuCores: 0.25, MemoryBytes: 100L << 20, RequestsPerSecond: 30, BytesPerRequest: 1 << 20),
                new ServiceMeasurement("web", 2, CpuCores: 0.1, MemoryBytes: 256L << 20, RequestsPerSecond: 0, BytesPerRequest: null),
            ],
            [new BackupMeasurement("main-db", 1L << 30)]);

        var now = CostEstimator.Estimate(Shop, Table(), measured, null);

        // api keeps its resources (a limit is what it reserves); its traffic is measured: 30 × 1MiB × 2,520,000 / 2^30 GB.
        var api = now.Services.Single(s => s.Name == "api");
        Assert.Equal((46.2, 73_828.125, 3_691.40625), (Math.Round(api.Compute, 6), api.EgressGb, Math.Round(api.Egress, 6)));
        Assert.Equal(["rps", "instances", "bytes/request"], api.Measured);

        // web has no resources: measured 0.1 cores and 256MB: (0.004 + 0.002) × 700 = 4.20 per instance.
        var web = now.Services.Single(s => s.Name == "web");
        Assert.Equal((2, 8.4), (web.Instances, Math.Round(web.Compute, 6)));
        Assert.Equal(["cpu", "memory", "rps", "instances"], web.Measured);

        // state 0.5GB measured; main-db 20 × the newest 1GB.
        Assert.Equal([("state", 0.5, true), ("logs", 1.0, false), ("backup main-db", 20.0, true)], now.Storage.Select(s => (s.Name, s.Gb, s.Measured)));

        // At 1k users (100 requests/s) the api's CPU target binds: 0.25 × 3 / 30 = 0.025 cores per request/s,
        // 100 × 0.025 / (0.5 × 70%) = 7.14 → 8 instances, above rpsPerInstance's 1.
        var at1k = CostEstimator.Estimate(Shop, Table(), measured, new CostScale("1k", 1_000)).Services.Single(s => s.Name == "api");
        Assert.Equal(8, at1k.Instances);
        Assert.StartsWith("autoscale by cpu 70%", at1k.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseList_UserCounts_ThousandsAndMillions()
    {
        Assert.Equal([("1k", 1_000L), ("10k", 10_000L), ("2.5m", 2_500_000L), ("500", 500L)],
            CostScale.ParseList("1k, 10k,2.5m,500", out _)!.Select(s => (s.Label, s.Users)));
        Assert.Null(CostScale.ParseList("1k,lots", out var error));
        Assert.Contains("\"lots\"", error, StringComparison.Ordinal);
    }

    private static PriceTable Table() => PriceTableReader.Read(Prices, "test-prices.yaml", out var errors) ?? throw new InvalidOperationException(string.Join("\n", errors));

    private static AppManifest LoadShop()
    {
        var loaded = ManifestLoader.LoadFile(RepositoryRoot.File("examples", "shop", "slipway.yaml"));
        Assert.True(loaded.IsValid, string.Join("\n", loaded.FormattedErrors));
        return loaded.Manifest!;
    }
}
