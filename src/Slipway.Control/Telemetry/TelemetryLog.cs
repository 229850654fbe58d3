using Microsoft.Extensions.Logging;

namespace Slipway.Control.Telemetry;

/// <summary>Telemetry's messages. Event ids 1700–1799.</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(1700, LogLevel.Warning, "{Instance}: application metrics scrape rejected ({Reason}): {Detail}")]
    public static partial void ScrapeRejected(ILogger logger, string instance, string reason, string detail);

    [LoggerMessage(1701, LogLevel.Warning, "{Instance}: {Dropped} application series not kept: the series limit is reached")]
    public static partial void SeriesLimit(ILogger logger, string instance, int dropped);
}
