using System.ComponentModel.DataAnnotations;

namespace Slipway.Core.Manifest.Model;

/// <summary>One canary step: send <see cref="Weight"/> % of traffic to the new revision, then pause.</summary>
internal sealed record CanaryStep
{
    [Required]
    [Range(1, 100)]
    public int Weight { get; init; }

    /// <summary>A duration, or <c>until-promoted</c> to wait for <c>slipway promote</c>.</summary>
    public StepPause Pause { get; init; } = new();
}
