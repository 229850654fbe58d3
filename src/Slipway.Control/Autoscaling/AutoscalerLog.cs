using Microsoft.Extensions.Logging;
using Slipway.Core.Logging;

namespace Slipway.Control.Autoscaling;

/// <summary>The autoscaler's log messages (its decisions are events, in the journal).</summary>
internal static partial class AutoscalerLog
{
    [LoggerMessage(EventIds.AutoscalerSyncFailed, LogLevel.Error, "{Service}: the autoscaler's look failed; it looks again next interval")]
    public static partial void SyncFailed(ILogger logger, string service, Exception exception);

    [LoggerMessage(EventIds.AutoscalerAuditFailed, LogLevel.Warning, "{Service}: the autoscaler could not audit a change of bounds: {Reason}")]
    public static partial void AuditFailed(ILogger logger, string service, string reason);
}
