using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Slipway.Backups.Destinations;

/// <summary>Turns what the S3 client throws into one line an operator can act on, in the remote's own words.</summary>
internal static class S3Errors
{
    public static bool IsS3Failure(Exception e) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or SocketException or IOException;

    /// <summary><paramref name="what"/> is the action and the object, e.g. "uploading s3://b/p/x".</summary>
    public static BackupException Explain(string what, Exception e) => new(e switch
    {
        AmazonS3Exception { ErrorCode: { Length: > 0 } code } s3 => $"{what} failed: S3 refused it ({(int)s3.StatusCode} {code}): {s3.Message}",
        AmazonServiceException { InnerException: { } inner } => $"{what} failed: {Reason(inner)}",
        AmazonServiceException service => $"{what} failed: {(int)service.StatusCode} {service.Message}",
        _ => $"{what} failed: {Reason(e)}",
    }, e);

    private static string Reason(Exception e)
    {
        var innermost = e;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return innermost.Message;
    }
}
