using Microsoft.Extensions.Logging;
using Slipway.Core.Logging;

namespace Slipway.Control.Telemetry;

/// <summary>Telemetry's messages.</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(EventIds.TelemetryScrapeRejected, LogLevel.Warning, "{Instance}: application metrics scrape rejected ({Reason}): {Detail}")]
    public static partial void ScrapeRejected(ILogger logger, string instance, string reason, string detail);

    [LoggerMessage(EventIds.TelemetrySeriesLimit, LogLevel.Warning, "{Instance}: {Dropped} application series not kept: the series limit is reached")]
    public static partial void SeriesLimit(ILogger logger, string instance, int dropped);
}
