namespace Slipway.Control.Telemetry;

/// <summary>One sample line of a scrape: its full name (suffix included), labels in the order written, value and optional timestamp (ms).</summary>
internal sealed record ParsedSample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, long? TimestampMilliseconds);
