namespace Slipway.Control.Telemetry;

/// <summary>One scraped value of a series and when Slipway scraped it (the application's own timestamp is not used).</summary>
internal readonly record struct ScrapedPoint(DateTimeOffset Time, double Value);
