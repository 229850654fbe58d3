using Slipway.Testing;
using static Slipway.Cli.Tests.CliRun;

namespace Slipway.Cli.Tests;

public sealed class CliManifestTests
{
    [Fact]
    public void Load_InvalidManifest_EveryVerbPrintsTheSameErrorsAndCountAndExitsTwo()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("slipway.yaml");
        File.WriteAllText(path, "app: shop\nservices:\n  web:\n    replicas: -1\n    bogus: 1\n");

        var validate = Run("validate", path);
        var verbs = new[]
        {
            Run("render", "prometheus-rules", "--file", path),
            Run("render", "kubernetes", "--file", path),
            Run("cost", "--file", path),
            Run("backup", "list", "--file", path),
        };

        var lines = validate.Error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, validate.Exit);
        Assert.True(lines.Length > 2);
        Assert.Equal($"{lines.Length - 1} errors", lines[^1]);
        Assert.Contains($"{path}:4:", validate.Error, StringComparison.Ordinal);
        Assert.All(verbs, run => Assert.Equal((2, "", validate.Error), (run.Exit, run.Out, run.Error)));
    }

    [Fact]
    public void WriteErrors_MoreThanAHundred_PrintsAHundredThenHowManyMore()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("slipway.yaml");
        File.WriteAllText(path, "app: shop\nservices:\n" + string.Concat(Enumerable.Range(0, 101).Select(i => $"  s{i}:\n    run: {{ command: x }}\n    replicas: -1\n")));

        var (exit, _, error) = Run("render", "prometheus-rules", "--file", path);

        var lines = error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, exit);
        Assert.Equal(102, lines.Length);
        Assert.Equal(["... and 1 more", "101 errors"], lines[^2..]);
    }
}
