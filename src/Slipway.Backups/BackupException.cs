namespace Slipway.Backups;

/// <summary>
/// A backup, verify or restore that failed for a reason the operator can act on. The message is one line
/// that reads after "backup NAME: " (the CLI adds the name): "cannot reach the database at 127.0.0.1:5433".
/// </summary>
internal sealed class BackupException : Exception
{
    public BackupException(string message)
        : base(message)
    {
    }

    public BackupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BackupException()
    {
    }
}
