using Microsoft.Extensions.Logging;
using Slipway.Core.Logging;

namespace Slipway.Backups;

/// <summary>Backup log events. Sources are described without passwords.</summary>
internal static partial class BackupLog
{
    [LoggerMessage(EventIds.BackupStarted, LogLevel.Information, "Backup {Name} started: {Source} to {Destination}")]
    public static partial void Started(ILogger logger, string name, string source, string destination);

    [LoggerMessage(EventIds.BackupSucceeded, LogLevel.Information, "Backup {Name} succeeded: {Id}, {Bytes} bytes in {Duration}")]
    public static partial void Succeeded(ILogger logger, string name, string id, long bytes, TimeSpan duration);

    [LoggerMessage(EventIds.BackupFailed, LogLevel.Error, "Backup {Name} failed: {Error}")]
    public static partial void Failed(ILogger logger, string name, string error);

    [LoggerMessage(EventIds.BackupVerified, LogLevel.Information, "Backup {Id} verified in {Duration}")]
    public static partial void Verified(ILogger logger, string id, TimeSpan duration);

    [LoggerMessage(EventIds.BackupVerifyFailed, LogLevel.Error, "Backup {Id} failed verification: {Error}")]
    public static partial void VerifyFailed(ILogger logger, string id, string error);

    [LoggerMessage(EventIds.BackupDeleted, LogLevel.Information, "Retention deleted backup {Id}")]
    public static partial void Deleted(ILogger logger, string id);

    [LoggerMessage(EventIds.BackupRestored, LogLevel.Information, "Backup {Id} restored into {Target} in {Duration}")]
    public static partial void Restored(ILogger logger, string id, string target, TimeSpan duration);

    [LoggerMessage(EventIds.BackupRecordFailed, LogLevel.Warning, "Could not record the failure of backup {Name}: {Error}")]
    public static partial void RecordFailed(ILogger logger, string name, string error);

    [LoggerMessage(EventIds.BackupWalReceiverStarted, LogLevel.Information, "WAL archiving for {Name} started: pg_receivewal pid {Pid} into {Directory}")]
    public static partial void WalReceiverStarted(ILogger logger, string name, string pid, string directory);

    [LoggerMessage(EventIds.BackupWalReceiverExited, LogLevel.Warning, "WAL archiving for {Name} stopped, restarting: {Reason}")]
    public static partial void WalReceiverExited(ILogger logger, string name, string reason);

    [LoggerMessage(EventIds.BackupWalPruned, LogLevel.Information, "Retention deleted {Count} WAL files of {Name} older than {Oldest}")]
    public static partial void WalPruned(ILogger logger, string name, int count, string oldest);

    [LoggerMessage(EventIds.BackupWalShipFailed, LogLevel.Warning, "Shipping the WAL of {Name} to {Destination} failed, trying again in {Interval}: {Reason}")]
    public static partial void WalShipFailed(ILogger logger, string name, string destination, TimeSpan interval, string reason);

    [LoggerMessage(EventIds.BackupCopyFailed, LogLevel.Warning, "Copying backup {Id} to {Destination} failed (attempt {Attempt}): {Reason}")]
    public static partial void CopyFailed(ILogger logger, string id, string destination, int attempt, string reason);

    [LoggerMessage(EventIds.BackupCopied, LogLevel.Information, "Backup {Id} copied to {Destination}")]
    public static partial void Copied(ILogger logger, string id, string destination);

    [LoggerMessage(EventIds.BackupDrilled, LogLevel.Information, "Drill of {Id}: RTO {Rto}, RPO {Rpo}")]
    public static partial void Drilled(ILogger logger, string id, TimeSpan rto, string rpo);

    [LoggerMessage(EventIds.BackupScheduledRunFailed, LogLevel.Error, "Scheduled {Task} failed: {Reason}")]
    public static partial void ScheduledRunFailed(ILogger logger, string task, string reason);
}
