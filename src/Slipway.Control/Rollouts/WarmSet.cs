namespace Slipway.Control.Rollouts;

/// <summary>A blue-green deploy's old set kept running after promotion, for an instant rollback, until its scale-down time.</summary>
internal sealed record WarmSet(string Service, string Revision, string Version, string PromotedRevision, CancellationTokenSource Cancel);
