namespace Slipway.Backups.Destinations;

/// <summary>Where the S3 API is and the keys to it, resolved from the environment or the secret store.</summary>
internal sealed record S3Connection(string? Endpoint, string Region, string AccessKeyId, string SecretAccessKey)
{
    /// <summary>Never the keys: a record's ToString may reach a log.</summary>
    public override string ToString() => $"S3 {Endpoint ?? "aws"} {Region}";
}
