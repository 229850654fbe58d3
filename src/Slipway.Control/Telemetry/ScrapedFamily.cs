namespace Slipway.Control.Telemetry;

/// <summary>One application metric family across every scraped instance, for <c>/metrics</c>.</summary>
internal sealed record ScrapedFamily(string Name, string Type, string Help, IReadOnlyList<ScrapedSeries> Series);
