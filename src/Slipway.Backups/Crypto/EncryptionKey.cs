using System.Security.Cryptography;
using System.Text;

namespace Slipway.Backups.Crypto;

/// <summary>
/// A 256-bit AES key and its public id. The id (a keyed hash, not the key) is stored with each backup, so
/// restoring with the wrong key fails at once with "wrong key" rather than as a corrupt file.
/// </summary>
internal sealed class EncryptionKey
{
    private const int KeyBytes = 32;
    private static readonly byte[] IdLabel = Encoding.ASCII.GetBytes("slipway backup key id v1");

    private EncryptionKey(byte[] key)
    {
        Key = key;
        Id = Convert.ToHexStringLower(HMACSHA256.HashData(key, IdLabel).AsSpan(0, 8));
    }

    public byte[] Key { get; }

    /// <summary>16 hex digits identifying the key without revealing it.</summary>
    public string Id { get; }

    /// <summary>The key written as 64 hex digits or as base64 of 32 bytes (<c>openssl rand -hex 32</c>).</summary>
    /// <exception cref="BackupException">Neither form, or not 32 bytes. The message does not repeat the text.</exception>
    public static EncryptionKey Parse(string text, string secretName)
    {
        var trimmed = text.Trim();
        byte[]? key = null;
        if (trimmed.Length == KeyBytes * 2 && trimmed.All(char.IsAsciiHexDigit))
        {
            key = Convert.FromHexString(trimmed);
        }
        else
        {
            var buffer = new byte[KeyBytes + 3];
            if (Convert.TryFromBase64String(trimmed, buffer, out var written) && written == KeyBytes)
            {
                key = buffer[..KeyBytes];
            }
        }

        return key is null
            ? throw new BackupException($"the encryption key in secret {secretName} must be 32 bytes written as 64 hex digits or base64 (openssl rand -hex 32)")
            : new EncryptionKey(key);
    }

    public static EncryptionKey FromBytes(byte[] key) =>
        key.Length == KeyBytes ? new EncryptionKey(key) : throw new ArgumentException("AES-256 needs a 32-byte key", nameof(key));
}
