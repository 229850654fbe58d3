namespace Slipway.Control.Supervision;

/// <summary>How the wait before an instance's start ended.</summary>
internal enum StartPreparation
{
    /// <summary>Dependencies ready, the lease held, the data directory in place: start.</summary>
    Ready,

    /// <summary>Something could not be prepared (an init that failed, a port in use): back off and try again.</summary>
    Failed,

    /// <summary>Stop was requested while waiting.</summary>
    Stopped,
}
