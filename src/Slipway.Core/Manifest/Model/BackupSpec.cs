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

    /// <summary>The endpoint and credentials of an <c>s3://</c> destination; null: AWS with the standard environment variables.</summary>
    public S3Spec? S3 { get; init; }

    public bool IsS3Destination() => Destination.StartsWith(S3Prefix, StringComparison.Ordinal);

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
            ValidateS3(context);
        }
        else if (S3 is not null)
        {
            context.Error("s3", "applies only to an s3:// destination");
        }

        if (Rto is { } rto && rto <= TimeSpan.Zero)
        {
            context.Error("rto", "must be longer than 0s");
        }
    }

    private void ValidateS3(SpecContext context)
    {
        var bucket = Destination[S3Prefix.Length..].Split('/')[0];
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')
            || !char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
        {
            context.Error("destination", $"\"{bucket}\" is not an S3 bucket name: 3-63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");
        }

        if (Kind == BackupKind.Physical)
        {
            context.Error("destination", "not supported yet: physical backups to an s3:// destination (their WAL archive is a local directory); use a logical backup or a local destination");
        }
    }
}
