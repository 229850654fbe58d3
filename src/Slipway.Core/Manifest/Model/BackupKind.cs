namespace Slipway.Core.Manifest.Model;

internal enum BackupKind
{
    /// <summary><c>pg_dump</c> in custom format.</summary>
    Logical,

    /// <summary><c>pg_basebackup</c> plus continuous WAL, for point-in-time restore.</summary>
    Physical,
}
