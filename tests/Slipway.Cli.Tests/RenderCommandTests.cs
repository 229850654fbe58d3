using Slipway.Testing;
using static Slipway.Cli.Tests.CliRun;

namespace Slipway.Cli.Tests;

public sealed class RenderCommandTests
{
    [Fact]
    public void PrometheusRules_ShopExample_WritesTheRuleFile()
    {
        using var dir = new TempDirectory();
        var target = dir.Combine("rules.yml");

        var (exit, output, error) = Run("render", "prometheus-rules", "-f", RepositoryRoot.File("examples", "shop", "slipway.yaml"), "-o", target);

        Assert.Equal((0, ""), (exit, error));
        Assert.Equal($"wrote {target}\n", output.ReplaceLineEndings("\n"));
        var rules = File.ReadAllText(target);
        Assert.Contains("  - name: \"slipway-shop\"\n", rules, StringComparison.Ordinal);
        Assert.Contains("      - alert: \"slow-checkout\"\n", rules, StringComparison.Ordinal);
        Assert.Contains("route=\\\"api#3\\\"", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void PrometheusRules_BadExpression_PrintsTheColumnAndExitsTwo()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("slipway.yaml");
        File.WriteAllText(path, "app: shop\nalerts:\n  rules:\n    - { name: x, expr: \"rate[1m] <> 1\" }\n");

        var (exit, output, error) = Run("render", "prometheus-rules", "--file", path);

        Assert.Equal((2, ""), (exit, output));
        Assert.Equal($"{path}:4:24: alerts.rules[0].expr at column 11: expected a threshold such as 0.05, 5%, 2s or 3\n1 error\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Kubernetes_ShopToDirectory_OneFilePerKind_NotesOnStderrWithTheirPlace()
    {
        using var dir = new TempDirectory();
        var shop = RepositoryRoot.File("examples", "shop", "slipway.yaml");
        File.WriteAllText(dir.Combine("99-stale.yaml"), "left by an earlier render");

        var (exit, output, error) = Run("render", "kubernetes", "-f", shop, "--out", dir.Path);

        Assert.Equal(0, exit);
        Assert.StartsWith("wrote ", output, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.Combine("00-namespace.yaml")));
        Assert.Contains("kind: Rollout", File.ReadAllText(dir.Combine("08-rollout.yaml")), StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("99-stale.yaml")));
        var lines = error.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.All(lines, l => Assert.Matches(@"^.+slipway\.yaml:\d+:\d+: [a-z]", l));
        Assert.Contains(lines, l => l.Contains("services.api.loadBalancing has no portable equivalent", StringComparison.Ordinal));
    }

    /// <summary>
    /// A file that cannot be written (here its temporary name is taken by a directory; a full disk in life) fails the
    /// render with the place named and leaves the earlier render as it was, rather than deleted before the new one.
    /// </summary>
    [Fact]
    public void Kubernetes_AFileCannotBeWritten_TheEarlierRenderStaysWhole()
    {
        using var dir = new TempDirectory();
        var shop = RepositoryRoot.File("examples", "shop", "slipway.yaml");
        Assert.Equal(0, Run("render", "kubernetes", "-f", shop, "--out", dir.Path).Exit);
        var before = Directory.GetFiles(dir.Path, "*.yaml", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText);
        File.WriteAllText(dir.Combine("00-namespace.yaml"), "the earlier render's namespace");
        before[dir.Combine("00-namespace.yaml")] = "the earlier render's namespace";
        Directory.CreateDirectory(dir.Combine("08-rollout.yaml.tmp"));

        var (exit, _, error) = Run("render", "kubernetes", "-f", shop, "--out", dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains($"slipway: cannot write {dir.Path}: ", error, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(dir.Path, "*.yaml", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Kubernetes_ToStdout_OneStreamOfDocuments()
    {
        var (exit, output, _) = Run("render", "kubernetes", "-f", RepositoryRoot.File("examples", "shop", "slipway.yaml"), "-o", "-");

        Assert.Equal(0, exit);
        Assert.StartsWith("---\napiVersion: v1\nkind: Namespace\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_ServiceWithoutImage_ErrorWithItsPlaceAndExitTwo()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("slipway.yaml");
        File.WriteAllText(path, "app: shop\nservices:\n  api:\n    run: { command: api }\n");

        var (exit, output, error) = Run("render", "kubernetes", "--file", path);

        Assert.Equal((2, ""), (exit, output));
        Assert.StartsWith($"{path}:3:3: services.api has no `image`", error, StringComparison.Ordinal);
    }
}
