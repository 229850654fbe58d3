namespace Slipway.Control.Telemetry;

/// <summary>One request series: what the proxy reports each request under.</summary>
internal readonly record struct RequestSeriesKey(string Service, string Revision, string Route);
