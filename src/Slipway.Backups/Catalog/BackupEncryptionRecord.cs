namespace Slipway.Backups.Catalog;

/// <summary>How a backup was encrypted. <see cref="KeyId"/> names the key without revealing it.</summary>
internal sealed record BackupEncryptionRecord(string Algorithm, string KeySecret, string KeyId, int ChunkBytes);
