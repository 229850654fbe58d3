using Slipway.Control.Notifications;

namespace Slipway.Server.Api.Contracts;

/// <summary>A silence: what it matches, from when until when, who made it and why.</summary>
internal sealed record SilenceResponse(string Id, IReadOnlyList<string> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Comment)
{
    public static SilenceResponse Of(Silence s) => new(s.Id, [.. s.Matchers.Select(m => m.ToString())], s.StartsAt, s.EndsAt, s.CreatedBy, s.Comment);
}
