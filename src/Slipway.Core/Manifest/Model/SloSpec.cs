using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>A service-level objective; burn-rate alerts follow from it.</summary>
internal sealed record SloSpec
{
    /// <summary>Share of requests that must succeed (not 5xx), e.g. <c>99.9%</c>.</summary>
    public Percentage Availability { get; init; } = new(99.9);

    /// <summary>Requests slower than this count against the objective too.</summary>
    public TimeSpan? Latency { get; init; }

    public TimeSpan Window { get; init; } = TimeSpan.FromDays(30);
}
