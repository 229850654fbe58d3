using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Cli.Tests;

/// <summary><c>slipway cost</c> on examples/shop without a daemon: every figure from the manifest and the price table (the arithmetic is CostEstimatorTests').</summary>
public sealed class CostCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Cost_ShopWithoutADaemon_TotalsPerScaleAndSaysNothingWasMeasured()
    {
        var (exit, stdout, stderr) = Run("cost", "--file", Shop, "--prices", Prices(), "--scale", "10k");

        Assert.True(exit == 0, stderr);
        Assert.Contains("shop: monthly cost in USD (700 hours), prices from ", stdout, StringComparison.Ordinal);
        Assert.Contains("measured: nothing (daemon not reachable at ", stdout, StringComparison.Ordinal);
        Assert.Contains("total 91.70 USD/month; on Kubernetes the requests (2.5 cores, 2.75 GB) need 2 × n2 = 140.00 USD/month of nodes", stdout, StringComparison.Ordinal);
        Assert.Contains("at 10k users: 1000 requests/s to each routed service (assumed 100 per 1k users)", stdout, StringComparison.Ordinal);
        Assert.Contains("total 15503.36 USD/month", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_JsonOutput_OneEstimatePerScale()
    {
        var (exit, stdout, _) = Run("cost", "--file", Shop, "--prices", Prices(), "--scale", "1k,100k", "--output", "json");

        Assert.Equal(0, exit);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.False(report.GetProperty("measured").GetBoolean());
        Assert.Equal(["now", "1k", "100k"], report.GetProperty("estimates").EnumerateArray().Select(e => e.GetProperty("scale").GetString()));
    }

    [Fact]
    public void Cost_BrokenPriceTableOrScale_Exit2NamingThePlace()
    {
        var prices = _dir.Combine("broken.yaml");
        File.WriteAllText(prices, "source: x\n");

        var (exit, _, stderr) = Run("cost", "--file", Shop, "--prices", prices);
        var (scaleExit, _, scaleError) = Run("cost", "--file", Shop, "--scale", "many");

        Assert.Equal(2, exit);
        Assert.Contains($"{prices}:1:1: date is required", stderr, StringComparison.Ordinal);
        Assert.Equal(2, scaleExit);
        Assert.Contains("--scale takes user counts such as 1k,10k,100k (got \"many\")", scaleError, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static string Shop => RepositoryRoot.File("examples", "shop", "slipway.yaml");

    private string Prices()
    {
        var path = _dir.Combine("prices.yaml");
        File.WriteAllText(path, """
            source: "round numbers for a test"
            date: 2026-01-01
            currency: USD
            hoursPerMonth: 700
            compute: { cpuHour: 0.04, memoryGbHour: 0.008 }
            storage: { disk: 0.1, object: 0.02 }
            egressGb: 0.05
            kubernetes: { node: n2, shapes: { n2: { cpu: 2, memory: 4GB, hourly: 0.1 } } }
            assumed: { cpu: 0.25, memory: 512MB, rpsPer1kUsers: 100, bytesPerRequest: 64KB, state: 2GB, backup: 3GB }
            """);
        return path;
    }

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = SlipwayCommand.Run([.. args, "--server", $"http://127.0.0.1:{FreePort.Next()}", "--token", "slw_x"], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
