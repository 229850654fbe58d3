using Microsoft.Extensions.Logging;
using Slipway.Core.Logging;

namespace Slipway.Control.Logs;

/// <summary>The log collector's messages.</summary>
internal static partial class LogsLog
{
    [LoggerMessage(EventIds.LogsDropped, LogLevel.Warning, "{Instance}: {Count} log lines dropped: {Reason}")]
    public static partial void Dropped(ILogger logger, string instance, int count, string reason);

    [LoggerMessage(EventIds.LogsRetentionDeleted, LogLevel.Information, "log retention deleted {Count} files")]
    public static partial void RetentionDeleted(ILogger logger, int count);

    [LoggerMessage(EventIds.LogsRetentionFailed, LogLevel.Warning, "log retention failed: {Reason}")]
    public static partial void RetentionFailed(ILogger logger, string reason);
}
