using Slipway.Core.Manifest.Model;

namespace Slipway.Backups.Destinations;

/// <summary>The destinations a manifest entry names: a directory, or <c>s3://bucket/prefix</c> with its keys resolved; and its copy.</summary>
internal static class BackupDestinations
{
    /// <exception cref="BackupException">An S3 key is not set.</exception>
    public static IBackupDestination Open(BackupSpec spec, string manifestDirectory, Func<string, string?> env, Func<string, string?> secrets) =>
        spec.IsS3Destination()
            ? OpenS3(spec, spec.Destination, env, secrets)
            : new LocalBackupDestination(Path.Combine(manifestDirectory, spec.Destination));

    /// <summary>The second destination (<c>copyTo</c>), or null without one.</summary>
    /// <exception cref="BackupException">An S3 key is not set.</exception>
    public static IBackupDestination? OpenCopy(BackupSpec spec, Func<string, string?> env, Func<string, string?> secrets) =>
        spec.CopyTo is { } copy ? OpenS3(spec, copy, env, secrets) : null;

    private static S3BackupDestination OpenS3(BackupSpec spec, string url, Func<string, string?> env, Func<string, string?> secrets)
    {
        var s3 = spec.S3 ?? new S3Spec();
        var accessKeyId = s3.AccessKeyId.Resolve(env, secrets)
            ?? throw new BackupException($"{s3.AccessKeyId} is not set, so there is no access key id for {url}");
        var secretAccessKey = s3.SecretAccessKey.Resolve(env, secrets)
            ?? throw new BackupException($"{s3.SecretAccessKey} is not set, so there is no secret access key for {url}");
        return new S3BackupDestination(S3Location.Parse(url), new S3Connection(s3.Endpoint, s3.Region, accessKeyId, secretAccessKey));
    }
}
