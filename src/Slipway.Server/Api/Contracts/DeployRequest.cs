namespace Slipway.Server.Api.Contracts;

/// <summary><c>POST /api/v1/services/NAME/deploy</c>.</summary>
/// <param name="Version">Required: fills <c>${VERSION}</c> in the run spec, e.g. "2" or "v2.1.0".</param>
/// <param name="Force">Abort a running rollout first and ignore deploy windows.</param>
/// <param name="Reason">Why, kept with the revision.</param>
internal sealed record DeployRequest(string? Version, bool Force = false, string? Reason = null);
