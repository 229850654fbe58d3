using System.Security.Cryptography;
using Slipway.Backups.Crypto;

namespace Slipway.Backups.Tests.Crypto;

public sealed class ChunkedEncryptionTests
{
    private static readonly EncryptionKey Key = EncryptionKey.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    private static async Task<byte[]> EncryptAsync(byte[] plain, EncryptionKey? key = null)
    {
        using var output = new MemoryStream();
        await using (var stream = new EncryptingStream(output, key ?? Key))
        {
            // Odd write sizes cross chunk boundaries.
            for (var offset = 0; offset < plain.Length; offset += 7919)
            {
                await stream.WriteAsync(plain.AsMemory(offset, Math.Min(7919, plain.Length - offset)));
            }
        }

        return output.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(byte[] sealedBytes, EncryptionKey? key = null)
    {
        await using var stream = new DecryptingStream(new MemoryStream(sealedBytes), key ?? Key);
        using var output = new MemoryStream();
        await stream.CopyToAsync(output);
        return output.ToArray();
    }

    private static int ChunkOnDisk => 4 + ChunkedEncryption.ChunkSize + ChunkedEncryption.TagSize;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(ChunkedEncryption.ChunkSize)]
    [InlineData(ChunkedEncryption.ChunkSize + 1)]
    [InlineData(3 * ChunkedEncryption.ChunkSize + 12345)]
    public async Task RoundTrip_AnySize_ReturnsThePlaintext(int size)
    {
        var plain = RandomNumberGenerator.GetBytes(size);

        Assert.Equal(plain, await DecryptAsync(await EncryptAsync(plain)));
    }

    [Fact]
    public async Task Encrypt_SamePlaintextTwice_DiffersByNonce()
    {
        var plain = new byte[1000];

        Assert.NotEqual(await EncryptAsync(plain), await EncryptAsync(plain));
    }

    [Fact]
    public async Task Decrypt_TruncatedAtChunkBoundary_SaysTruncated()
    {
        var sealedBytes = await EncryptAsync(new byte[3 * ChunkedEncryption.ChunkSize + 10]);
        var cut = sealedBytes[..(ChunkedEncryption.HeaderSize + (2 * ChunkOnDisk))];

        var error = await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(cut));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_SwappedChunks_FailsAuthentication()
    {
        var sealedBytes = await EncryptAsync(RandomNumberGenerator.GetBytes(3 * ChunkedEncryption.ChunkSize + 10));
        var first = ChunkedEncryption.HeaderSize;
        var swapped = sealedBytes.ToArray();
        sealedBytes.AsSpan(first + ChunkOnDisk, ChunkOnDisk).CopyTo(swapped.AsSpan(first));
        sealedBytes.AsSpan(first, ChunkOnDisk).CopyTo(swapped.AsSpan(first + ChunkOnDisk));

        var error = await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(swapped));

        Assert.Contains("chunk 0 failed authentication", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_FlippedBit_FailsAuthentication()
    {
        var sealedBytes = await EncryptAsync(new byte[100_000]);
        sealedBytes[^5] ^= 0x80;

        var error = await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(sealedBytes));

        Assert.Contains("tampered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_TrailingBytes_AreRefused()
    {
        var sealedBytes = await EncryptAsync(new byte[10]);

        var error = await Assert.ThrowsAsync<BackupException>(() => DecryptAsync([.. sealedBytes, 0]));

        Assert.Contains("after its final chunk", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_WrongKey_SaysWrongKeyWithBothIds()
    {
        var other = EncryptionKey.FromBytes(new byte[32]);
        var sealedBytes = await EncryptAsync(new byte[10]);

        var error = await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(sealedBytes, other));

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
