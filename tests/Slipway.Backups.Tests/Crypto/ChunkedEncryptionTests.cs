using System.Security.Cryptography;
using Slipway.Backups.Crypto;

namespace Slipway.Backups.Tests.Crypto;

public sealed class ChunkedEncryptionTests
{
    private static readonly EncryptionKey Key = EncryptionKey.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    private static byte[] Encrypt(byte[] plain, EncryptionKey? key = null)
    {
        using var output = new MemoryStream();
        using (var stream = new EncryptingStream(output, key ?? Key))
        {
            // Odd write sizes cross chunk boundaries.
            for (var offset = 0; offset < plain.Length; offset += 7919)
            {
                stream.Write(plain, offset, Math.Min(7919, plain.Length - offset));
            }
        }

        return output.ToArray();
    }

    private static byte[] Decrypt(byte[] sealedBytes, EncryptionKey? key = null)
    {
        using var stream = new DecryptingStream(new MemoryStream(sealedBytes), key ?? Key);
        using var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    private static int ChunkOnDisk => 4 + ChunkedEncryption.ChunkSize + ChunkedEncryption.TagSize;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(ChunkedEncryption.ChunkSize)]
    [InlineData(ChunkedEncryption.ChunkSize + 1)]
    [InlineData(3 * ChunkedEncryption.ChunkSize + 12345)]
    public void RoundTrip_AnySize_ReturnsThePlaintext(int size)
    {
        var plain = RandomNumberGenerator.GetBytes(size);

        Assert.Equal(plain, Decrypt(Encrypt(plain)));
    }

    [Fact]
    public void Encrypt_SamePlaintextTwice_DiffersByNonce()
    {
        var plain = new byte[1000];

        Assert.NotEqual(Encrypt(plain), Encrypt(plain));
    }

    [Fact]
    public void Decrypt_TruncatedAtChunkBoundary_SaysTruncated()
    {
        var sealedBytes = Encrypt(new byte[3 * ChunkedEncryption.ChunkSize + 10]);
        var cut = sealedBytes[..(ChunkedEncryption.HeaderSize + (2 * ChunkOnDisk))];

        var error = Assert.Throws<BackupException>(() => Decrypt(cut));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_SwappedChunks_FailsAuthentication()
    {
        var sealedBytes = Encrypt(RandomNumberGenerator.GetBytes(3 * ChunkedEncryption.ChunkSize + 10));
        var first = ChunkedEncryption.HeaderSize;
        var swapped = sealedBytes.ToArray();
        sealedBytes.AsSpan(first + ChunkOnDisk, ChunkOnDisk).CopyTo(swapped.AsSpan(first));
        sealedBytes.AsSpan(first, ChunkOnDisk).CopyTo(swapped.AsSpan(first + ChunkOnDisk));

        var error = Assert.Throws<BackupException>(() => Decrypt(swapped));

        Assert.Contains("chunk 0 failed authentication", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_FlippedBit_FailsAuthentication()
    {
        var sealedBytes = Encrypt(new byte[100_000]);
        sealedBytes[^5] ^= 0x80;

        var error = Assert.Throws<BackupException>(() => Decrypt(sealedBytes));

        Assert.Contains("tampered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_TrailingBytes_AreRefused()
    {
        var sealedBytes = Encrypt(new byte[10]);

        var error = Assert.Throws<BackupException>(() => Decrypt([.. sealedBytes, 0]));

        Assert.Contains("after its final chunk", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_WrongKey_SaysWrongKeyWithBothIds()
    {
        var other = EncryptionKey.FromBytes(new byte[32]);

        var error = Assert.Throws<BackupException>(() => Decrypt(Encrypt(new byte[10]), other));

        Assert.Equal($"wrong encryption key: the backup was encrypted with key id {Key.Id}, the key given has id {other.Id}", error.Message);
    }

    [Theory]
    [InlineData("tooshort")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void ParseKey_NotThirtyTwoBytes_ExplainsWithoutEchoing(string text)
    {
        var error = Assert.Throws<BackupException>(() => EncryptionKey.Parse(text, "BACKUP_KEY"));

        Assert.DoesNotContain(text, error.Message, StringComparison.Ordinal);
        Assert.Contains("secret BACKUP_KEY must be 32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseKey_HexAndBase64OfTheSameBytes_AreTheSameKey()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);

        Assert.Equal(EncryptionKey.Parse(Convert.ToHexString(bytes), "K").Id, EncryptionKey.Parse(Convert.ToBase64String(bytes), "K").Id);
    }
}
