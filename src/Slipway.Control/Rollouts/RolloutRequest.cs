namespace Slipway.Control.Rollouts;

/// <summary>A deploy as asked for: a version of a service, by whom and why; <see cref="Force"/> replaces a running rollout and ignores deploy windows.</summary>
internal sealed record RolloutRequest(string Service, string Version, bool Force, string? Reason, string CreatedBy);
