using System.Buffers.Binary;
using System.Security.Cryptography;
using Slipway.Backups.Streams;

namespace Slipway.Backups.Crypto;

/// <summary>
/// Read-only: decrypts <see cref="ChunkedEncryption"/> format, failing with a <see cref="BackupException"/>
/// that says which of wrong key, truncation or tampering it was. Nothing unauthenticated is ever returned.
/// </summary>
internal sealed class DecryptingStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly EncryptionKey _key;
    private readonly AesGcm _cipher;
    private readonly byte[] _sealed = new byte[ChunkedEncryption.ChunkSize + ChunkedEncryption.TagSize];
    private readonly byte[] _plain = new byte[ChunkedEncryption.ChunkSize];
    private byte[]? _header;
    private int _offset;
    private int _available;
    private long _counter;
    private bool _final;

    public DecryptingStream(Stream inner, EncryptionKey key)
    {
        _inner = inner;
        _key = key;
        _cipher = ChunkedEncryption.Cipher(key);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_available == 0)
        {
            if (_final)
            {
                return 0;
            }

            Open();
        }

        var take = Math.Min(buffer.Length, _available);
        _plain.AsSpan(_offset, take).CopyTo(buffer);
        _offset += take;
        _available -= take;
        return take;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cipher.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Open()
    {
        if (_header is null)
        {
            _header = new byte[ChunkedEncryption.HeaderSize];
            if (!ReadFully(_header) || !_header.AsSpan(0, 8).SequenceEqual(ChunkedEncryption.Magic))
            {
                throw new BackupException("the file is not a Slipway encrypted backup (bad header)");
            }

            var keyId = Convert.ToHexStringLower(_header.AsSpan(12, 8));
            if (keyId != _key.Id)
            {
                throw new BackupException($"wrong encryption key: the backup was encrypted with key id {keyId}, the key given has id {_key.Id}");
            }
        }

        Span<byte> lengthBytes = stackalloc byte[4];
        if (!ReadFully(lengthBytes))
        {
            throw new BackupException($"the encrypted file is truncated: it ends after chunk {_counter} without the final chunk");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
        if (length < 0 || length > ChunkedEncryption.ChunkSize)
        {
            throw new BackupException($"the encrypted file is corrupted: chunk {_counter} has an impossible length");
        }

        if (!ReadFully(_sealed.AsSpan(0, length + ChunkedEncryption.TagSize)))
        {
            throw new BackupException($"the encrypted file is truncated inside chunk {_counter}");
        }

        // Try as a middle chunk first; failing that, as the final one. Neither: tampered or reordered.
        Span<byte> nonce = stackalloc byte[ChunkedEncryption.NonceSize];
        ChunkedEncryption.Nonce(_header.AsSpan(20, ChunkedEncryption.NonceSize), _counter, nonce);
        var ciphertext = _sealed.AsSpan(0, length);
        var tag = _sealed.AsSpan(length, ChunkedEncryption.TagSize);
        if (!TryDecrypt(nonce, ciphertext, tag, final: false, length))
        {
            if (!TryDecrypt(nonce, ciphertext, tag, final: true, length))
            {
                throw new BackupException($"the encrypted file is corrupted or was tampered with: chunk {_counter} failed authentication");
            }

            _final = true;
            Span<byte> probe = stackalloc byte[1];
            if (_inner.Read(probe) != 0)
            {
                throw new BackupException("the encrypted file has data after its final chunk");
            }
        }

        _counter++;
        _offset = 0;
        _available = length;
    }

    private bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, bool final, int length)
    {
        try
        {
            _cipher.Decrypt(nonce, ciphertext, tag, _plain.AsSpan(0, length), ChunkedEncryption.Aad(_header, _counter, final, length));
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private bool ReadFully(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = _inner.Read(buffer[total..]);
            if (read == 0)
            {
                return false;
            }

            total += read;
        }

        return true;
    }
}
