using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Probes;

/// <summary>
/// Kubernetes' thresholds over a stream of results: <c>successThreshold</c> passes in a row make a probe
/// pass, <c>failureThreshold</c> failures in a row make it fail. Pure and single-threaded: the instance's
/// controller owns it.
/// </summary>
internal sealed class ProbeTracker
{
    private readonly int _successThreshold;
    private readonly int _failureThreshold;
    private int _successes;
    private int _failures;

    public ProbeTracker(ProbeSpec spec)
    {
        _successThreshold = spec.SuccessThreshold;
        _failureThreshold = spec.FailureThreshold;
    }

    public ProbeState State { get; private set; } = ProbeState.Unknown;

    public int ConsecutiveFailures => _failures;

    /// <summary>Adds a result; returns the new state when it changed, otherwise null.</summary>
    public ProbeState? Record(bool success)
    {
        if (success)
        {
            _failures = 0;
            _successes++;
            if (State != ProbeState.Passing && _successes >= _successThreshold)
            {
                State = ProbeState.Passing;
                return State;
            }
        }
        else
        {
            _successes = 0;
            _failures++;
            if (State != ProbeState.Failing && _failures >= _failureThreshold)
            {
                State = ProbeState.Failing;
                return State;
            }
        }

        return null;
    }
}
