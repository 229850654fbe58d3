using Amazon.S3;
using Amazon.S3.Model;
using Slipway.Backups.Streams;

namespace Slipway.Backups.Destinations;

/// <summary>
/// One file going up: bytes are gathered into parts of a multipart upload, which S3 keeps out of sight until
/// <see cref="CommitAsync"/> completes it. A file smaller than one part is sent by a single PUT at commit.
/// Disposing without a commit aborts the upload, so the store keeps no orphaned parts.
/// </summary>
internal sealed class S3Upload : WriteOnlyStream, IBackupUpload
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _key;
    private readonly string _display;
    private readonly int _partSize;
    private readonly List<PartETag> _parts = [];
    private MemoryStream _buffer = new();
    private string? _uploadId;
    private long _written;
    private bool _committed;

    public S3Upload(AmazonS3Client client, string bucket, string key, string display, int partSize)
    {
        _client = client;
        _bucket = bucket;
        _key = key;
        _display = display;
        _partSize = partSize;
    }

    public Stream Stream => this;

    // Each part is in memory and signed whole: aws-chunked signing buys nothing here, and S3-compatible stores
    // that do not speak it (s3rver) would store its framing as data.

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = (int)Math.Min(buffer.Length, _partSize - _buffer.Length);
            _buffer.Write(buffer.Span[..take]);
            _written += take;
            buffer = buffer[take..];
            if (_buffer.Length == _partSize)
            {
                await SendPartAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Refused: a full part goes up over a socket, and a thread blocked on it may be the one its answer needs.</summary>
    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException($"{_display} is written to S3 asynchronously (WriteAsync)");

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_uploadId is null)
            {
                _buffer.Position = 0;
                await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = _key, InputStream = _buffer, AutoCloseStream = false, UseChunkEncoding = false }, cancellationToken)
                    .ConfigureAwait(false);
            }
            else
            {
                if (_buffer.Length > 0)
                {
                    await SendPartAsync(cancellationToken).ConfigureAwait(false);
                }

                await _client.CompleteMultipartUploadAsync(
                    new CompleteMultipartUploadRequest { BucketName = _bucket, Key = _key, UploadId = _uploadId, PartETags = _parts }, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e))
        {
            throw S3Errors.Explain($"uploading {_display}", e);
        }

        _committed = true;
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_committed && _uploadId is not null)
        {
            try
            {
                await _client.AbortMultipartUploadAsync(_bucket, _key, _uploadId).ConfigureAwait(false);
            }
            catch (Exception e) when (S3Errors.IsS3Failure(e))
            {
                // The store is what failed; its parts were never an object, and a bucket lifecycle rule can sweep them.
            }
        }

        _committed = true;
        await _buffer.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SendPartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _uploadId ??= (await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = _key }, cancellationToken)
                .ConfigureAwait(false)).UploadId;
            var number = _parts.Count + 1;
            _buffer.Position = 0;
            var response = await _client.UploadPartAsync(
                new UploadPartRequest { BucketName = _bucket, Key = _key, UploadId = _uploadId, PartNumber = number, InputStream = _buffer, PartSize = _buffer.Length, UseChunkEncoding = false },
                cancellationToken).ConfigureAwait(false);
            _parts.Add(new PartETag(number, response.ETag));
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e))
        {
            throw S3Errors.Explain($"uploading part {_parts.Count + 1} of {_display}", e);
        }

        await _buffer.DisposeAsync().ConfigureAwait(false);
        _buffer = new MemoryStream();
    }
}
