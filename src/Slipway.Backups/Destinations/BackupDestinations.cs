using Slipway.Core.Manifest.Model;

namespace Slipway.Backups.Destinations;

/// <summary>The destination a manifest entry names: a directory, or <c>s3://bucket/prefix</c> with its keys resolved.</summary>
internal static class BackupDestinations
{
    /// <exception cref="BackupException">An S3 key is not set.</exception>
    public static IBackupDestination Open(BackupSpec spec, string manifestDirectory, Func<string, string?> env, Func<string, string?> secrets)
    {
        if (!spec.IsS3Destination())
        {
            return new LocalBackupDestination(Path.Combine(manifestDirectory, spec.Destination));
        }

        var s3 = spec.S3 ?? new S3Spec();
        var accessKeyId = s3.AccessKeyId.Resolve(env, secrets)
            ?? throw new BackupException($"{s3.AccessKeyId} is not set, so there is no access key id for {spec.Destination}");
        var secretAccessKey = s3.SecretAccessKey.Resolve(env, secrets)
            ?? throw new BackupException($"{s3.SecretAccessKey} is not set, so there is no secret access key for {spec.Destination}");
        return new S3BackupDestination(S3Location.Parse(spec.Destination), new S3Connection(s3.Endpoint, s3.Region, accessKeyId, secretAccessKey));
    }
}
