using Slipway.Core.Alerting;

namespace Slipway.Control.Notifications;

/// <summary>Mutes notifications of the alerts all of whose <see cref="Matchers"/> match, from <see cref="StartsAt"/> until <see cref="EndsAt"/>.</summary>
internal sealed record Silence(
    string Id,
    IReadOnlyList<LabelMatcher> Matchers,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string CreatedBy,
    string Comment)
{
    public bool IsActive(DateTimeOffset now) => StartsAt <= now && now < EndsAt;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Matchers.All(m => m.Matches(labels));
}
