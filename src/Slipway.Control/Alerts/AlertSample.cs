namespace Slipway.Control.Alerts;

/// <summary>One value of an alert function for one label set (a service, an instance, a backup).</summary>
internal sealed record AlertSample(IReadOnlyDictionary<string, string> Labels, double Value);
