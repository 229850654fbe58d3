namespace Slipway.Server.Cost;

/// <summary>One service as it runs: instances, per-instance CPU (cores) and resident memory, requests/s and response bytes per request.</summary>
/// <param name="CpuCores">The average over running instances; null when none runs.</param>
/// <param name="BytesPerRequest">Null when no request was served in the window.</param>
internal sealed record ServiceMeasurement(string Name, int Instances, double? CpuCores, long? MemoryBytes, double RequestsPerSecond, double? BytesPerRequest);
