namespace Slipway.Control.Runtime;

/// <summary>How a rollout brings its new revision in. Written kebab-case in the API and the state store.</summary>
internal enum RolloutStrategy
{
    /// <summary>Instance by instance, old and new serving side by side.</summary>
    Rolling,

    /// <summary>The whole new set beside the old, then one switch.</summary>
    BlueGreen,

    /// <summary>Steps of weight and pause, analysed against stable.</summary>
    Canary,

    /// <summary>A fast switch back to an older revision's version: blue-green without hooks, smoke checks or a manual promotion.</summary>
    Rollback,
}
