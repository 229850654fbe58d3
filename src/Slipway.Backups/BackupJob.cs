using Slipway.Backups.Crypto;
using Slipway.Backups.Destinations;
using Slipway.Backups.Postgres;
using Slipway.Backups.Wal;
using Slipway.Core.Manifest.Model;

namespace Slipway.Backups;

/// <summary>A manifest backup with its references resolved: what to dump, where to, and how to protect it.</summary>
internal sealed record BackupJob(string Name, PostgresSource Source, IBackupDestination Destination)
{
    public BackupKind Kind { get; init; } = BackupKind.Logical;

    public BackupCompression Compression { get; init; } = BackupCompression.Gzip;

    /// <summary>The recovery time objective a drill is measured against; null: none.</summary>
    public TimeSpan? Rto { get; init; }

    /// <summary>The recovery point objective a drill is measured against; null: none.</summary>
    public TimeSpan? Rpo { get; init; }

    /// <summary>Where a physical backup's continuous WAL goes: <c>DESTINATION/wal/NAME/</c>.</summary>
    public WalArchive WalArchive => new(Destination.Location, Name);

    public EncryptionKey? Key { get; init; }

    /// <summary>The secret name the key came from, recorded so a restore knows which key to ask for.</summary>
    public string? KeySecret { get; init; }

    public RetentionSpec Retention { get; init; } = new();

    public VerifySpec Verify { get; init; } = new();

    /// <summary>
    /// Resolves <paramref name="spec"/>: the source URL or host/database/user from env or secrets, the
    /// destination relative to <paramref name="manifestDirectory"/>, the encryption key from its secret.
    /// </summary>
    /// <exception cref="BackupException">A reference is unset or malformed.</exception>
    public static BackupJob FromSpec(string name, BackupSpec spec, string manifestDirectory, Func<string, string?> env, Func<string, string?> secrets)
    {
        PostgresSource source;
        if (spec.Postgres is { } reference)
        {
            var url = reference.Resolve(env, secrets)
                ?? throw new BackupException($"{reference} is not set, so there is no database URL");
            source = PostgresSource.Parse(url);
        }
        else
        {
            var password = spec.PasswordSecret is { } secret
                ? secrets(secret) ?? throw new BackupException($"the password secret {secret} is not set")
                : null;
            source = new PostgresSource(spec.Host!, spec.Port, spec.Database!, spec.User ?? "postgres", password);
        }

        EncryptionKey? key = null;
        if (spec.Encryption is { } encryption)
        {
            var text = secrets(encryption.KeySecret) ?? throw new BackupException($"the encryption key secret {encryption.KeySecret} is not set");
            key = EncryptionKey.Parse(text, encryption.KeySecret);
        }

        return new BackupJob(name, source, BackupDestinations.Open(spec, manifestDirectory, env, secrets))
        {
            Kind = spec.Kind,
            Compression = spec.Compression,
            Rto = spec.Rto,
            Rpo = spec.Rpo,
            Key = key,
            KeySecret = spec.Encryption?.KeySecret,
            Retention = spec.Retention,
            Verify = spec.Verify,
        };
    }
}
