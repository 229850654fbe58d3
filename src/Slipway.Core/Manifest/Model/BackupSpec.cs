using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;
using Slipway.Core.Scheduling;

namespace Slipway.Core.Manifest.Model;

/// <summary>A PostgreSQL database backed up on a schedule, verified by restoring it.</summary>
internal sealed record BackupSpec : IValidatedSpec
{
    /// <summary>A connection URL (<c>postgresql://user@host:5432/db</c>), usually <c>env:DATABASE_URL</c>.</summary>
    public ValueReference? Postgres { get; init; }

    public string? Host { get; init; }

    [Range(1, 65535)]
    public int Port { get; init; } = 5432;

    public string? Database { get; init; }

    public string? User { get; init; }

    /// <summary>The Slipway secret holding the password.</summary>
    public string? PasswordSecret { get; init; }

    public BackupKind Kind { get; init; } = BackupKind.Logical;

    public CronExpression? Schedule { get; init; }

    /// <summary>A directory, relative to the manifest or absolute, or <c>s3://bucket/prefix</c>.</summary>
    [Required]
    public string Destination { get; init; } = "";

    /// <summary>
    /// A second destination (pgBackRest's repo2): every successful backup is copied there after it is complete at
    /// <see cref="Destination"/>, which alone decides success. An <c>s3://</c> URL.
    /// </summary>
    public string? CopyTo { get; init; }

    /// <summary>The endpoint and credentials of the <c>s3://</c> destination or copy; null: AWS with the standard environment variables.</summary>
    public S3Spec? S3 { get; init; }

    public bool IsS3Destination() => Destination.StartsWith(S3Prefix, StringComparison.Ordinal);

    /// <summary>Whether the destination or the copy is in S3, so that <see cref="S3"/> applies.</summary>
    public bool UsesS3() => IsS3Destination() || CopyTo is not null;

    public const string S3Prefix = "s3://";

    public RetentionSpec Retention { get; init; } = new();

    public BackupCompression Compression { get; init; } = BackupCompression.Gzip;

    public EncryptionSpec? Encryption { get; init; }

    public VerifySpec Verify { get; init; } = new();

    /// <summary>Recovery time objective the drill is measured against.</summary>
    public TimeSpan? Rto { get; init; }

    /// <summary>Recovery point objective the drill is measured against.</summary>
    public TimeSpan? Rpo { get; init; }

    public void Validate(SpecContext context)
    {
        if (Postgres is not null && (Host is not null || Database is not null || User is not null))
        {
            context.Error("postgres", "cannot be used together with `host`, `database` and `user`: give one or the other");
        }
        else if (Postgres is null && (Host is null || Database is null))
        {
            context.Error("needs a source: `postgres: env:DATABASE_URL` or `host` and `database`");
        }

        if (Postgres is { Kind: ValueReferenceKind.Literal } literal
            && !(literal.Literal ?? "").StartsWith("postgres://", StringComparison.Ordinal)
            && !(literal.Literal ?? "").StartsWith("postgresql://", StringComparison.Ordinal))
        {
            context.Error("postgres", "must be a postgresql:// URL, env:NAME or secret:NAME");
        }

        if (IsS3Destination())
        {
            ValidateBucket(context, "destination", Destination);
        }

        if (CopyTo is not null)
        {
            ValidateCopy(context);
        }

        if (S3 is not null && !UsesS3())
        {
            context.Error("s3", "applies only to an s3:// destination or copyTo");
        }

        if (Rto is { } rto && rto <= TimeSpan.Zero)
        {
            context.Error("rto", "must be longer than 0s");
        }
    }

    private void ValidateCopy(SpecContext context)
    {
        if (!CopyTo!.StartsWith(S3Prefix, StringComparison.Ordinal))
        {
            context.Error("copyTo", "not supported yet: a copy to a directory; copyTo takes an s3://bucket/prefix URL");
            return;
        }

        ValidateBucket(context, "copyTo", CopyTo);
        if (CopyTo.TrimEnd('/') == Destination.TrimEnd('/'))
        {
            context.Error("copyTo", "is the destination itself; a copy needs a second place");
        }

        if (Kind == BackupKind.Physical)
        {
            context.Error("copyTo", "not supported yet: a second destination for a physical backup (its WAL archive goes to the destination only); use an s3:// destination, or copyTo with a logical backup");
        }
    }

    private static void ValidateBucket(SpecContext context, string key, string url)
    {
        var bucket = url[S3Prefix.Length..].Split('/')[0];
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')
            || !char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
        {
            context.Error(key, $"\"{bucket}\" is not an S3 bucket name: 3-63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");
        }
    }
}
