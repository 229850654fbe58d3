namespace Slipway.Control.Autoscaling;

/// <summary>How the replica calculator counts an instance (a pod's phase, to the HorizontalPodAutoscaler).</summary>
internal enum InstanceState
{
    /// <summary>Stopping, stopped or exited: left out of every count (a deleted or failed pod).</summary>
    Gone,

    /// <summary>Not started yet: counted as not ready (a pending pod).</summary>
    Pending,

    /// <summary>Started (ready or not, or backing off between runs).</summary>
    Running,
}
