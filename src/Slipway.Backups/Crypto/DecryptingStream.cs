using System.Buffers.Binary;
using System.Security.Cryptography;
using Slipway.Backups.Streams;

namespace Slipway.Backups.Crypto;

/// <summary>
/// Read-only: decrypts <see cref="ChunkedEncryption"/> format, failing with a <see cref="BackupException"/>
/// that says which of wrong key, truncation or tampering it was. Nothing unauthenticated is ever returned.
/// Read asynchronously (the file may be an S3 object's body); disposing it disposes the file.
/// </summary>
internal sealed class DecryptingStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly EncryptionKey _key;
    private readonly AesGcm _cipher;
    private readonly byte[] _sealed = new byte[ChunkedEncryption.ChunkSize + ChunkedEncryption.TagSize];
    private readonly byte[] _plain = new byte[ChunkedEncryption.ChunkSize];
    private readonly byte[] _length = new byte[4];
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

    /// <summary>Refused: the next chunk comes from the inner stream, which may be a socket (an S3 body); read asynchronously.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("an encrypted backup is read asynchronously (ReadAsync)");

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_available == 0)
        {
            if (_final)
            {
                return 0;
            }

            await OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        var take = Math.Min(buffer.Length, _available);
        _plain.AsSpan(_offset, take).CopyTo(buffer.Span);
        _offset += take;
        _available -= take;
        return take;
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _cipher.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        if (_header is null)
        {
            _header = new byte[ChunkedEncryption.HeaderSize];
            if (!await ReadFullyAsync(_header, cancellationToken).ConfigureAwait(false) || !_header.AsSpan(0, 8).SequenceEqual(ChunkedEncryption.Magic))
            {
                throw new BackupException("the file is not a Slipway encrypted backup (bad header)");
            }

            var keyId = Convert.ToHexStringLower(_header.AsSpan(12, 8));
            if (keyId != _key.Id)
            {
                throw new BackupException($"wrong encryption key: the backup was encrypted with key id {keyId}, the key given has id {_key.Id}");
            }
        }

        if (!await ReadFullyAsync(_length, cancellationToken).ConfigureAwait(false))
        {
            throw new BackupException($"the encrypted file is truncated: it ends after chunk {_counter} without the final chunk");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(_length);
        if (length < 0 || length > ChunkedEncryption.ChunkSize)
        {
            throw new BackupException($"the encrypted file is corrupted: chunk {_counter} has an impossible length");
        }

        if (!await ReadFullyAsync(_sealed.AsMemory(0, length + ChunkedEncryption.TagSize), cancellationToken).ConfigureAwait(false))
        {
            throw new BackupException($"the encrypted file is truncated inside chunk {_counter}");
        }

        if (!Decrypt(length))
        {
            // The final chunk: nothing may follow it.
            _final = true;
            if (await _inner.ReadAsync(_length.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new BackupException("the encrypted file has data after its final chunk");
            }
        }

        _counter++;
        _offset = 0;
        _available = length;
    }

    /// <summary>Authenticates and decrypts the chunk in <c>_sealed</c> into <c>_plain</c>; true for a middle chunk, false for the final one.</summary>
    /// <exception cref="BackupException">Neither: tampered or reordered.</exception>
    private bool Decrypt(int length)
    {
        // Try as a middle chunk first; failing that, as the final one.
        Span<byte> nonce = stackalloc byte[ChunkedEncryption.NonceSize];
        ChunkedEncryption.Nonce(_header.AsSpan(20, ChunkedEncryption.NonceSize), _counter, nonce);
        var ciphertext = _sealed.AsSpan(0, length);
        var tag = _sealed.AsSpan(length, ChunkedEncryption.TagSize);
        if (TryDecrypt(nonce, ciphertext, tag, final: false, length))
        {
            return true;
        }

        if (TryDecrypt(nonce, ciphertext, tag, final: true, length))
        {
            return false;
        }

        throw new BackupException($"the encrypted file is corrupted or was tampered with: chunk {_counter} failed authentication");
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

    private async ValueTask<bool> ReadFullyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await _inner.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            total += read;
        }

        return true;
    }
}
