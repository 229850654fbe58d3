namespace Slipway.Control.Telemetry;

/// <summary>The <c>reason</c> label of <c>slipway_scrape_errors_total</c>: why a scrape was rejected (or, for <see cref="SeriesLimit"/>, cut short).</summary>
internal static class ScrapeErrorReasons
{
    /// <summary>No connection, or it broke.</summary>
    public const string Unreachable = "unreachable";

    /// <summary>No complete answer within the timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>A status other than 2xx.</summary>
    public const string HttpStatus = "http_status";

    /// <summary>More than <c>metrics.maxBytes</c>.</summary>
    public const string TooLarge = "too_large";

    /// <summary>Not valid Prometheus text (the error is logged with its line).</summary>
    public const string Malformed = "malformed";

    /// <summary>Kept, but some series were not: the per-instance or overall series limit was reached.</summary>
    public const string SeriesLimit = "series_limit";
}
