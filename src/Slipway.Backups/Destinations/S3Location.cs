namespace Slipway.Backups.Destinations;

/// <summary><c>s3://bucket/prefix</c>: the bucket, and the key prefix every file goes under (empty, or ending in '/').</summary>
internal sealed record S3Location(string Bucket, string Prefix)
{
    public static S3Location Parse(string url)
    {
        var rest = url.StartsWith("s3://", StringComparison.Ordinal)
            ? url["s3://".Length..]
            : throw new BackupException($"{url} is not an s3://bucket/prefix URL");
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        return bucket.Length == 0
            ? throw new BackupException($"{url} names no bucket")
            : new S3Location(bucket, prefix.Length == 0 ? "" : prefix + "/");
    }

    public string Key(string fileName) => Prefix + fileName;

    public override string ToString() => $"s3://{Bucket}/{Prefix}";
}
