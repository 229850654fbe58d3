using Slipway.Control.Secrets;
using Slipway.Testing;

namespace Slipway.Cli.Tests;

public sealed class CliSecretsTests
{
    [Fact]
    public void For_SecretSetInTheDaemonsStore_IsWhatBackupVerbsSee()
    {
        using var dir = new TempDirectory();
        var manifest = dir.Combine("slipway.yaml");
        var stateDirectory = dir.Combine(".slipway");
        var store = new SecretStore(stateDirectory, MasterKey.Load(stateDirectory, _ => null), TimeProvider.System);
        store.Set("BACKUP_KEY_FOR_TEST", "from-the-store");

        var secrets = CliSecrets.For(manifest);

        Assert.Equal("from-the-store", secrets("BACKUP_KEY_FOR_TEST"));
        Assert.Null(secrets("NOT_SET_ANYWHERE_FOR_TEST"));
    }

    [Fact]
    public void For_NoStateDirectory_ReadsOnlyTheEnvironmentAndCreatesNothing()
    {
        using var dir = new TempDirectory();
        var manifest = dir.Combine("slipway.yaml");

        var secrets = CliSecrets.For(manifest);

        Assert.Null(secrets("NOT_SET_ANYWHERE_FOR_TEST"));
        Assert.False(Directory.Exists(dir.Combine(".slipway")), "reading secrets must not create a master key");
    }
}
