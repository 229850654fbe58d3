namespace Slipway.Control.Probes;

/// <summary>What a probe checks: an address, and for exec probes where and with what environment to run.</summary>
internal sealed record ProbeTarget(string Host, int Port, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment);
