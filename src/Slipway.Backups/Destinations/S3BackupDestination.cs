using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Slipway.Backups.Destinations;

/// <summary>
/// A bucket and prefix in S3 or an S3-compatible store. A file is written in parts (multipart upload) and becomes
/// an object under its name only when the upload is completed, after the last byte; until then nothing is listed
/// or readable under that name, and an upload that fails or is abandoned is aborted. Small files go up in one PUT,
/// which S3 also makes visible all at once. The client retries failed requests with backoff (standard mode) before
/// a failure reaches the backup's record.
/// </summary>
/// <remarks>
/// Every call awaits the client and blocks no thread: a request is never waited for from inside the completion of
/// another, whatever thread (a pool worker, an epoll thread running completions inline) the caller is on. The
/// credentials live in the client only: never in a message, a record or a child's environment.
/// </remarks>
internal sealed class S3BackupDestination : IBackupDestination, IDisposable
{
    /// <summary>S3's smallest part but the last is 5 MiB.</summary>
    public const int MinimumPartSize = 5 << 20;

    private readonly AmazonS3Client _client;
    private readonly S3Location _location;
    private readonly int _partSize;
    private readonly bool _ownsClient = true;

    public S3BackupDestination(S3Location location, S3Connection connection, int partSize = 16 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partSize, MinimumPartSize);
        _location = location;
        _partSize = partSize;
        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 4,
            Timeout = TimeSpan.FromMinutes(5),
            // The SDK's default CRC trailers (aws-chunked) are not understood by every S3-compatible store; our own
            // SHA-256 over each file is what a verify checks.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            AuthenticationRegion = connection.Region,
        };
        if (connection.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(connection.Region);
        }

        _client = new AmazonS3Client(new BasicAWSCredentials(connection.AccessKeyId, connection.SecretAccessKey), config);
    }

    private S3BackupDestination(AmazonS3Client client, S3Location location, int partSize)
    {
        _client = client;
        _location = location;
        _partSize = partSize;
        _ownsClient = false;
    }

    public string Name => "s3";

    public string Location => _location.ToString();

    public Task<IBackupUpload> CreateAsync(string fileName, CancellationToken cancellationToken) =>
        Task.FromResult<IBackupUpload>(new S3Upload(_client, _location.Bucket, _location.Key(Check(fileName)), Location + fileName, _partSize));

    public async Task<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken)
    {
        var key = _location.Key(Check(fileName));
        try
        {
            var response = await _client.GetObjectAsync(_location.Bucket, key, cancellationToken).ConfigureAwait(false);
            return new S3ReadStream(response, fileName);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new BackupException($"the file {fileName} is missing from {Location}", e);
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e))
        {
            throw S3Errors.Explain($"reading {Location}{fileName}", e);
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(string suffix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = _location.Prefix, Delimiter = "/" };
        try
        {
            ListObjectsV2Response page;
            do
            {
                page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                names.AddRange((page.S3Objects ?? []).Select(o => o.Key[_location.Prefix.Length..]).Where(n => n.EndsWith(suffix, StringComparison.Ordinal)));
                request.ContinuationToken = page.NextContinuationToken;
            }
            while (page.IsTruncated == true);
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e))
        {
            throw S3Errors.Explain($"listing {Location}", e);
        }

        return names.Order(StringComparer.Ordinal).ToList();
    }

    public async Task<long> SizeAsync(string fileName, CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.GetObjectMetadataAsync(_location.Bucket, _location.Key(Check(fileName)), cancellationToken).ConfigureAwait(false)).ContentLength;
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e))
        {
            throw S3Errors.Explain($"reading the size of {Location}{fileName}", e);
        }
    }

    public async Task DeleteAsync(string fileName, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteObjectAsync(_location.Bucket, _location.Key(Check(fileName)), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e))
        {
            throw S3Errors.Explain($"deleting {Location}{fileName}", e);
        }
    }

    /// <summary>Shares this one's client (and so its keys and retries); disposing the child leaves the client to its parent.</summary>
    public IBackupDestination Child(string relativePath) =>
        new S3BackupDestination(_client, _location with { Prefix = _location.Prefix + relativePath.Trim('/') + "/" }, _partSize);

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private static string Check(string fileName) =>
        fileName.Contains('/', StringComparison.Ordinal) || fileName.StartsWith('.')
            ? throw new ArgumentException($"not a plain file name: {fileName}", nameof(fileName))
            : fileName;
}
