using Slipway.Testing;
using static Slipway.Cli.Tests.CliRun;

namespace Slipway.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Fact]
    public void Validate_ShopExample_ExitsZeroWithSummary()
    {
        var (exit, output, error) = Run("validate", RepositoryRoot.File("examples", "shop", "slipway.yaml"));

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("valid: app shop, 5 services", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PlantedMistakes_PrintsEachAndExitsTwo()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "slipway.yaml");
        File.WriteAllText(path, "app: shop\nservices:\n  api:\n    run: { command: x }\n    replicas: 2000\n    stop: { drainTimeout: soon }\n    helth: {}\n");

        var (exit, output, error) = Run("validate", path);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal(
            $"{path}:5:15: services.api.replicas must be between 0 and 1000 (got 2000)\n"
            + $"{path}:6:27: services.api.stop.drainTimeout must be a duration like 250ms, 5s, 2m, 1h or 7d (got \"soon\")\n"
            + $"{path}:7:5: services.api.helth is not a known key; did you mean `health`?\n"
            + "3 errors\n",
            error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Validate_MissingFile_ExitsTwo()
    {
        var (exit, _, error) = Run("validate", "/nonexistent/slipway.yaml");

        Assert.Equal(2, exit);
        Assert.Contains("the manifest does not exist", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("validate")]
    [InlineData("validate", "a.yaml", "b.yaml")]
    public void Run_BadUsage_ExitsTwo(params string[] args)
    {
        var (exit, _, error) = Run(args);

        Assert.Equal(2, exit);
        Assert.Contains("slipway --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_DocumentsExitCodes()
    {
        var (exit, output, _) = Run("--help");

        Assert.Equal(0, exit);
        Assert.Contains("Exit codes: 0 success, 1 the operation failed, 2 usage or validation error.", output, StringComparison.Ordinal);
        Assert.Contains("validate", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsSlipwayVersion()
    {
        var (exit, output, _) = Run("version");

        Assert.Equal(0, exit);
        Assert.StartsWith("slipway ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OutputJson_EveryErrorWithLineColumnAndExitTwo()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "slipway.yaml");
        File.WriteAllText(path, "app: shop\nservices:\n  api:\n    run: { command: x }\n    replicas: 2000\n    helth: {}\n");

        var (exit, output, error) = Run("validate", path, "--output", "json");

        Assert.Equal(2, exit);
        Assert.Equal("", error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        var errors = json.RootElement.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetInt32(), e.GetProperty("path").GetString())).ToList();
        Assert.Equal([(5, 15, "services.api.replicas"), (6, 5, "services.api.helth")], errors);
    }

    [Fact]
    public void Validate_OutputJsonValid_NamesAppAndServices()
    {
        var (exit, output, _) = Run("validate", RepositoryRoot.File("examples", "shop", "slipway.yaml"), "--output", "json");

        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("shop", json.RootElement.GetProperty("app").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("services").GetArrayLength());
    }
}
