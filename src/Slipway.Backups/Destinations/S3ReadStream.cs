using Amazon.Runtime;
using Amazon.S3.Model;
using Slipway.Backups.Streams;

namespace Slipway.Backups.Destinations;

/// <summary>
/// An object's body that knows its length (a checksum compares it to the record) and closes the response with it.
/// The client checks a single-part object's bytes against its ETag as they arrive; a mismatch is a corrupted file.
/// </summary>
internal sealed class S3ReadStream(GetObjectResponse response, string fileName) : ReadOnlyStream
{
    private readonly Stream _body = response.ResponseStream;
    private long _position;

    public override long Length => response.ContentLength;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Refused: the body arrives over a socket, and a thread blocked on it may be the one its bytes need.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException($"{fileName} is read from S3 asynchronously (ReadAsync)");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _position += read;
            return read;
        }
        catch (AmazonClientException e)
        {
            throw new BackupException($"the file {fileName} is corrupted: the store's own checksum does not match its bytes ({e.Message})", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw S3Errors.Explain($"reading {fileName}", e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask DisposeAsync()
    {
        await _body.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
