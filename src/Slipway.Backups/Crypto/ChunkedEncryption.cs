using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Slipway.Backups.Crypto;

/// <summary>
/// The encrypted file format: AES-256-GCM over 64 KiB chunks, so a dump of any size streams through it.
/// </summary>
/// <remarks>
/// <code>
/// header  = "SLPWAEG1" | chunkSize u32 | keyId 8 bytes | baseNonce 12 bytes          (32 bytes)
/// chunk i = length u32 | ciphertext (length bytes) | tag 16 bytes
/// nonce_i = baseNonce XOR (i as u64 big-endian in the last 8 bytes)
/// aad_i   = header | i u64 | final u8 | length u32
/// </code>
/// The chunk number in the nonce and the AAD makes reordered or repeated chunks fail authentication; the
/// final flag makes a file cut at a chunk boundary fail too (its last chunk does not say "final"), and
/// bytes after the final chunk are refused. The header is in every chunk's AAD, so it cannot be edited.
/// A random base nonce per file keeps nonces unique under one key (2^-32 collision odds only after 2^32 files).
/// </remarks>
internal static class ChunkedEncryption
{
    public const int ChunkSize = 64 * 1024;
    public const int HeaderSize = 32;
    public const int TagSize = 16;
    public const int NonceSize = 12;
    public static ReadOnlySpan<byte> Magic => "SLPWAEG1"u8;

    internal static void Nonce(ReadOnlySpan<byte> baseNonce, long counter, Span<byte> nonce)
    {
        baseNonce.CopyTo(nonce);
        Span<byte> count = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(count, counter);
        for (var i = 0; i < 8; i++)
        {
            nonce[NonceSize - 8 + i] ^= count[i];
        }
    }

    internal static byte[] Aad(ReadOnlySpan<byte> header, long counter, bool final, int length)
    {
        var aad = new byte[HeaderSize + 8 + 1 + 4];
        header.CopyTo(aad);
        BinaryPrimitives.WriteInt64BigEndian(aad.AsSpan(HeaderSize), counter);
        aad[HeaderSize + 8] = final ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32BigEndian(aad.AsSpan(HeaderSize + 9), length);
        return aad;
    }

    internal static byte[] Header(EncryptionKey key, ReadOnlySpan<byte> baseNonce)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), ChunkSize);
        Convert.FromHexString(key.Id).CopyTo(header.AsSpan(12));
        baseNonce.CopyTo(header.AsSpan(20));
        return header;
    }

    internal static AesGcm Cipher(EncryptionKey key) => new(key.Key, TagSize);
}
