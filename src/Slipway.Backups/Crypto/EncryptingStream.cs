using System.Buffers.Binary;
using System.Security.Cryptography;
using Slipway.Backups.Streams;

namespace Slipway.Backups.Crypto;

/// <summary>Write-only: encrypts what is written into <see cref="ChunkedEncryption"/> format. Disposing writes the final chunk.</summary>
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

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (buffer.Length > 0)
        {
            // A full chunk is sealed only when more data arrives, so the last chunk is always the one marked final.
            if (_filled == _plain.Length)
            {
                Seal(final: false);
            }

            var take = Math.Min(buffer.Length, _plain.Length - _filled);
            buffer[..take].CopyTo(_plain.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() => _inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            Seal(final: true);
            _finished = true;
            _inner.Flush();
            _cipher.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Seal(bool final)
    {
        if (!_headerWritten)
        {
            _inner.Write(_header);
            _headerWritten = true;
        }

        Span<byte> nonce = stackalloc byte[ChunkedEncryption.NonceSize];
        ChunkedEncryption.Nonce(_baseNonce, _counter, nonce);
        var aad = ChunkedEncryption.Aad(_header, _counter, final, _filled);
        BinaryPrimitives.WriteInt32BigEndian(_sealed, _filled);
        _cipher.Encrypt(nonce, _plain.AsSpan(0, _filled), _sealed.AsSpan(4, _filled), _sealed.AsSpan(4 + _filled, ChunkedEncryption.TagSize), aad);
        _inner.Write(_sealed, 0, 4 + _filled + ChunkedEncryption.TagSize);
        _counter++;
        _filled = 0;
    }
}
