namespace Slipway.Control.Probes;

internal enum ProbeState
{
    /// <summary>Not yet decided: thresholds not reached since the probe started.</summary>
    Unknown,
    Passing,
    Failing,
}
