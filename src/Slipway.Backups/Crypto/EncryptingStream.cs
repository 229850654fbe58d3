using System.Buffers.Binary;
using System.Security.Cryptography;
using Slipway.Backups.Streams;

namespace Slipway.Backups.Crypto;

/// <summary>Write-only, asynchronously: encrypts what is written into <see cref="ChunkedEncryption"/> format. <see cref="DisposeAsync"/> writes the final chunk.</summary>
internal sealed class EncryptingStream : WriteOnlyStream
{
    private readonly Stream _inner;
    private readonly AesGcm _cipher;
    private readonly byte[] _header;
    private readonly byte[] _baseNonce = RandomNumberGenerator.GetBytes(ChunkedEncryption.NonceSize);
    private readonly byte[] _plain = new byte[ChunkedEncryption.ChunkSize];
    private readonly byte[] _sealed = new byte[4 + ChunkedEncryption.ChunkSize + ChunkedEncryption.TagSize];
    private int _filled;
    private long _counter;
    private bool _headerWritten;
    private bool _finished;

    public EncryptingStream(Stream inner, EncryptionKey key)
    {
        _inner = inner;
        _cipher = ChunkedEncryption.Cipher(key);
        _header = ChunkedEncryption.Header(key, _baseNonce);
    }

    public override bool CanWrite => !_finished;

    /// <summary>Refused: a sealed chunk goes to the inner stream, which may be a socket (an S3 upload); write asynchronously.</summary>
    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("an encrypted backup is written asynchronously (WriteAsync)");

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (buffer.Length > 0)
        {
            // A full chunk is sealed only when more data arrives, so the last chunk is always the one marked final.
            if (_filled == _plain.Length)
            {
                await SealAsync(final: false, cancellationToken).ConfigureAwait(false);
            }

            var take = Math.Min(buffer.Length, _plain.Length - _filled);
            buffer.Span[..take].CopyTo(_plain.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    /// <summary>Writes the final chunk. Only an asynchronous dispose finishes the file: one disposed synchronously ends without it, and reads as truncated.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            await SealAsync(final: true, CancellationToken.None).ConfigureAwait(false);
            _finished = true;
            await _inner.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _finished = true;
            _cipher.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask SealAsync(bool final, CancellationToken cancellationToken)
    {
        if (!_headerWritten)
        {
            await _inner.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
            _headerWritten = true;
        }

        var length = Seal(final);
        await _inner.WriteAsync(_sealed.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Encrypts the buffered plaintext into <c>_sealed</c> (length, ciphertext, tag); returns how many bytes that is.</summary>
    private int Seal(bool final)
    {
        Span<byte> nonce = stackalloc byte[ChunkedEncryption.NonceSize];
        ChunkedEncryption.Nonce(_baseNonce, _counter, nonce);
        var aad = ChunkedEncryption.Aad(_header, _counter, final, _filled);
        BinaryPrimitives.WriteInt32BigEndian(_sealed, _filled);
        _cipher.Encrypt(nonce, _plain.AsSpan(0, _filled), _sealed.AsSpan(4, _filled), _sealed.AsSpan(4 + _filled, ChunkedEncryption.TagSize), aad);
        var length = 4 + _filled + ChunkedEncryption.TagSize;
        _counter++;
        _filled = 0;
        return length;
    }
}
