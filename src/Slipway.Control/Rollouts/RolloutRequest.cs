using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Rollouts;

/// <summary>A deploy as asked for: a version of a service, by whom and why; <see cref="Force"/> replaces a running rollout and ignores deploy windows.</summary>
internal sealed record RolloutRequest(string Service, string Version, bool Force, string? Reason, string CreatedBy)
{
    /// <summary>
    /// The new revision's spec (<c>slipway apply</c>); null for a new version of what runs now: the current
    /// revision's spec, with the service-wide settings of the running manifest.
    /// </summary>
    public ServiceSpec? Spec { get; init; }

    /// <summary>How many instances the new revision gets; null for as many as the stable one has.</summary>
    public int? Replicas { get; init; }
}
