using Slipway.Testing;
using static Slipway.Cli.Tests.CliRun;

namespace Slipway.Cli.Tests;

/// <summary>The <c>slipway backup</c> and <c>slipway restore</c> verbs, in process, against a real cluster.</summary>
public sealed class BackupCommandTests : IClassFixture<PostgresClusterFixture>, IDisposable
{
    private readonly PostgresClusterFixture _pg;
    private readonly TempDirectory _dir = new();
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly List<string> _variables = [];

    public BackupCommandTests(PostgresClusterFixture pg) => _pg = pg;

    public void Dispose()
    {
        foreach (var name in _variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        _dir.Dispose();
    }

    private string SetVariable(string prefix, string value)
    {
        var name = prefix + _suffix;
        Environment.SetEnvironmentVariable(name, value);
        _variables.Add(name);
        return name;
    }

    private string Manifest(string databaseUrl)
    {
        var urlVariable = SetVariable("TEST_DB_URL_", databaseUrl);
        var keySecret = "KEY_" + _suffix;
        SetVariable("SLIPWAY_SECRET_KEY_", new string('7', 64));
        var path = _dir.Combine("slipway.yaml");
        File.WriteAllText(path, $$"""
            app: shop
            backups:
              main-db:
                postgres: "env:{{urlVariable}}"
                destination: backups
                compression: brotli
                encryption: { keySecret: {{keySecret}} }
                verify:
                  queries: ["select count(*) from orders"]
            """);
        return path;
    }

    [Fact]
    public async Task RunListShowVerifyRestore_WorkEndToEnd()
    {
        var manifest = Manifest(_pg.ShopUrl);
        var target = await _pg.CreateDatabaseAsync();
        var targetVariable = SetVariable("TEST_TARGET_URL_", _pg.Url(target));

        var run = Run("backup", "run", "main-db", "--file", manifest);
        var id = run.Out.Split(':')[0];
        var list = Run("backup", "list", "--file", manifest);
        var show = Run("backup", "show", id, "--file", manifest);
        var verify = Run("backup", "verify", "main-db", "--file", manifest);
        var restore = Run("restore", "main-db", "--target", "env:" + targetVariable, "--file", manifest);
        var again = Run("restore", "main-db", "--backup", id, "--target", "env:" + targetVariable, "--file", manifest);

        Assert.Equal((0, ""), (run.Exit, run.Error));
        Assert.StartsWith("main-db-", id, StringComparison.Ordinal);
        Assert.Equal(0, list.Exit);
        Assert.Contains(id, list.Out, StringComparison.Ordinal);
        Assert.Equal(0, show.Exit);
        Assert.Contains("\"keyId\"", show.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresClusterFixture.Password, show.Out, StringComparison.Ordinal);
        Assert.Equal((0, ""), (verify.Exit, verify.Error));
        Assert.Equal($"{id}: verified (checksums, restore, 1 queries)\n", verify.Out.ReplaceLineEndings("\n"));
        Assert.Equal((0, ""), (restore.Exit, restore.Error));
        Assert.Equal(await _pg.SnapshotAsync(PostgresClusterFixture.Database), await _pg.SnapshotAsync(target));
        Assert.Equal(1, again.Exit);
        Assert.Contains($"slipway: restore main-db: the target database postgres@127.0.0.1:{_pg.Shop.Port}/{target} is not empty", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ListShow_DatabaseUrlUnset_ReadTheCatalogAlone()
    {
        var manifest = Manifest(_pg.ShopUrl);
        var id = Run("backup", "run", "main-db", "--file", manifest).Out.Split(':')[0];
        Environment.SetEnvironmentVariable("TEST_DB_URL_" + _suffix, null);

        var list = Run("backup", "list", "main-db", "--file", manifest);
        var show = Run("backup", "show", id, "--file", manifest);
        var run = Run("backup", "run", "main-db", "--file", manifest);

        Assert.Equal((0, ""), (list.Exit, list.Error));
        Assert.StartsWith(id + " ", list.Out, StringComparison.Ordinal);
        Assert.Equal((0, ""), (show.Exit, show.Error));
        Assert.Contains($"\"id\": \"{id}\"", show.Out, StringComparison.Ordinal);
        Assert.Equal(1, run.Exit);
        Assert.Contains($"env:TEST_DB_URL_{_suffix} is not set", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Unreachable_PrintsOneLineNamingTheBackupAndExitsOne()
    {
        var port = FreePort.Next();
        var manifest = Manifest($"postgresql://postgres:x@127.0.0.1:{port}/shop");

        var (exit, output, error) = Run("backup", "run", "main-db", "--file", manifest);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"slipway: backup main-db: cannot reach the database at 127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.DoesNotContain(":x@", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WrongKey_ExitsOneSayingWrongKey()
    {
        var manifest = Manifest(_pg.ShopUrl);
        Assert.Equal(0, Run("backup", "run", "main-db", "--file", manifest).Exit);
        Environment.SetEnvironmentVariable("SLIPWAY_SECRET_KEY_" + _suffix, new string('8', 64));

        var (exit, _, error) = Run("backup", "verify", "main-db", "--file", manifest);

        Assert.Equal(1, exit);
        Assert.Contains("failed verification: wrong encryption key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownBackupOrInvalidManifest_ExitsTwo()
    {
        var manifest = Manifest(_pg.ShopUrl);
        var broken = _dir.Combine("broken.yaml");
        File.WriteAllText(broken, "app: shop\nbackups:\n  main-db:\n    destination: x\n");

        var unknown = Run("backup", "run", "other-db", "--file", manifest);
        var invalid = Run("backup", "run", "main-db", "--file", broken);
        var usage = Run("restore", "main-db", "--file", manifest);

        Assert.Equal(2, unknown.Exit);
        Assert.Equal($"slipway: backup other-db is not in {manifest}; it has main-db\n", unknown.Error.ReplaceLineEndings("\n"));
        Assert.Equal(2, invalid.Exit);
        Assert.Contains("needs a source", invalid.Error, StringComparison.Ordinal);
        Assert.Equal(2, usage.Exit);
    }
}
