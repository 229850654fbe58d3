using Slipway.Control.Secrets;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>`slipway up` on a state directory holding secrets, without the right master key: it refuses, naming the fix.</summary>
public sealed class MasterKeyStartTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public MasterKeyStartTests()
    {
        File.WriteAllText(Manifest, """
            app: keys
            proxy: { listen: ["http://127.0.0.1:0"] }
            services:
              idle:
                run: { command: sleep, args: ["600"] }
            """);
        Directory.CreateDirectory(StateDir);
    }

    private string StateDir => _dir.Combine("state");

    private string Manifest => _dir.Combine("slipway.yaml");

    private string KeyFile => Path.Combine(StateDir, MasterKey.FileName);

    [Fact]
    public async Task Up_SecretsStoredButNoKey_RefusesWithoutWritingANewKey()
    {
        StoreASecret(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var (exit, output) = await UpAsync(key: null);

        Assert.True(exit == 1, output);
        Assert.Contains("SLIPWAY_MASTER_KEY", output, StringComparison.Ordinal);
        Assert.Contains(SecretStore.FileName, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile), "a new master key was written beside secrets it cannot read");
    }

    [Fact]
    public async Task Up_SecretsStoredUnderAnotherKey_RefusesNamingTheFix()
    {
        StoreASecret(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var (exit, output) = await UpAsync(key: Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

        Assert.True(exit == 1, output);
        Assert.Contains("cannot decrypt", output, StringComparison.Ordinal);
        Assert.Contains("SLIPWAY_MASTER_KEY", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_MasterKeyFileReadableByGroup_RefusedWithTheChmodThatFixesIt()
    {
        File.WriteAllText(KeyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var (exit, output) = await UpAsync(key: null);

        Assert.True(exit == 1, output);
        Assert.Contains($"chmod 600 {KeyFile}", output, StringComparison.Ordinal);
    }

    private void StoreASecret(byte[] key)
    {
        var store = new SecretStore(StateDir, key, TimeProvider.System);
        store.Set("DB_PASSWORD", "s3cret");
    }

    /// <returns>Its exit code and everything it printed; a daemon that keeps running fails the test.</returns>
    private async Task<(int Exit, string Output)> UpAsync(string? key)
    {
        var daemon = new SlipwayProcess(_dir.Path, new SlipwayProcessOptions { Environment = new Dictionary<string, string?> { ["SLIPWAY_MASTER_KEY"] = key } },
            "up", Manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");
        try
        {
            var exit = await daemon.WaitForExitAsync(60);
            return (exit, daemon.Output + daemon.Error);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the daemon started:\n{daemon.Output}\n{daemon.Error}");
            throw;
        }
        finally
        {
            await daemon.StopAsync();
            LeftoverInstances.Kill(StateDir);
        }
    }

    public void Dispose() => _dir.Dispose();
}
