using Microsoft.Extensions.Logging;

namespace Slipway.Control.Logs;

/// <summary>The log collector's messages. Event ids 1200–1299.</summary>
internal static partial class LogsLog
{
    [LoggerMessage(1200, LogLevel.Warning, "{Instance}: {Count} log lines dropped: {Reason}")]
    public static partial void Dropped(ILogger logger, string instance, int count, string reason);

    [LoggerMessage(1201, LogLevel.Information, "log retention deleted {Count} files")]
    public static partial void RetentionDeleted(ILogger logger, int count);

    [LoggerMessage(1202, LogLevel.Warning, "log retention failed: {Reason}")]
    public static partial void RetentionFailed(ILogger logger, string reason);
}
