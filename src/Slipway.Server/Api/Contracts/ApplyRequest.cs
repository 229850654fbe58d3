namespace Slipway.Server.Api.Contracts;

/// <summary><c>POST /api/v1/apply/plan</c> and <c>/api/v1/apply</c>.</summary>
/// <param name="Manifest">Required: the manifest's YAML text.</param>
/// <param name="File">Its file name, for error places (default manifest.yaml).</param>
/// <param name="Fingerprint">Apply only if the plan is still the one with this fingerprint.</param>
/// <param name="Force">Abort rollouts in the way and deploy outside deploy windows.</param>
internal sealed record ApplyRequest(string? Manifest, string? File = null, string? Fingerprint = null, bool Force = false);
