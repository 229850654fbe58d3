namespace Slipway.Server.Cost;

/// <summary>The newest successful backup's size at its destination; null when none was taken (or the catalog cannot be read).</summary>
internal sealed record BackupMeasurement(string Name, long? NewestBytes);
