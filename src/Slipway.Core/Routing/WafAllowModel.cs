namespace Slipway.Core.Routing;

/// <summary>
/// One allow rule: <paramref name="Rule"/> (a rule or class name) silenced for the target kind
/// (<c>query</c>, <c>header</c>...) and name, under <paramref name="PathPrefix"/>; null parts mean everywhere.
/// </summary>
internal sealed record WafAllowModel(string Rule, string? TargetKind, string? TargetName, string? PathPrefix);
