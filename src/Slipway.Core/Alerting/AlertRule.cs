using Slipway.Core.Manifest.Model;

namespace Slipway.Core.Alerting;

/// <summary>
/// A rule as the engine runs it: the manifest's rule with a built-in's defaults filled in. One manifest rule
/// may become several (<c>slo-burn-rate</c> is a fast and a slow pair, told apart by a <c>window</c> label).
/// </summary>
internal sealed record AlertRule(
    string Name,
    AlertExpression Expression,
    TimeSpan For,
    TimeSpan KeepFiringFor,
    Severity Severity,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations)
{
    public string SeverityName => Severity.ToString().ToLowerInvariant();
}
