namespace Slipway.Core.Manifest.Model;

/// <summary>Which policy wins when several allow different changes (a HorizontalPodAutoscaler's <c>selectPolicy</c>).</summary>
internal enum SelectPolicy
{
    /// <summary>The policy allowing the largest change.</summary>
    Max,

    /// <summary>The policy allowing the smallest change.</summary>
    Min,

    /// <summary>No change in this direction at all.</summary>
    Disabled,
}
