namespace Slipway.Server.Api.Contracts;

/// <summary><c>POST /api/v1/silences</c>.</summary>
/// <param name="Matchers">Required: LABEL=VALUE or LABEL!=VALUE, all of which must match.</param>
/// <param name="For">Required: how long, such as 30m or 2h.</param>
/// <param name="Comment">Why; shown in the list.</param>
internal sealed record SilenceRequest(IReadOnlyList<string>? Matchers, string? For, string? Comment = null);
