using Slipway.Backups.Logical;

namespace Slipway.Backups.Tests.Logical;

public sealed class DumpFormatTests
{
    [Theory]
    [InlineData("shop-20260101T000000Z.dump.br.enc")]
    [InlineData("shop-20260101T000000Z.base.tar.gz.enc")]
    [InlineData("000000010000000000000003.gz.enc")]
    public void Decrypted_EncryptedWithoutKey_RefusedNamingTheSecret(string name)
    {
        var e = Assert.Throws<BackupException>(() => DumpFormat.Decrypted(new MemoryStream(), name, null, "BACKUP_KEY"));

        Assert.Equal($"{name} is encrypted; set the key secret BACKUP_KEY", e.Message);
    }

    [Fact]
    public void Decrypted_NotEncrypted_TheFileAndItsNameAsTheyAre()
    {
        using var file = new MemoryStream([1, 2, 3]);

        var (stream, plainName) = DumpFormat.Decrypted(file, "shop-20260101T000000Z.base.tar.gz", null, null);

        Assert.Same(file, stream);
        Assert.Equal("shop-20260101T000000Z.base.tar.gz", plainName);
    }
}
