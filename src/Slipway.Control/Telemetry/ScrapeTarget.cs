namespace Slipway.Control.Telemetry;

/// <summary>One instance whose application metrics are scraped; its three names become labels on every series it serves.</summary>
internal readonly record struct ScrapeTarget(string Service, string Revision, string Instance);
