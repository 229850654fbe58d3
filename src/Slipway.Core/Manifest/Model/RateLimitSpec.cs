using System.ComponentModel.DataAnnotations;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>A token bucket per client address: <c>{ rate: 10/s, burst: 20 }</c>.</summary>
internal sealed record RateLimitSpec
{
    [Required]
    public Rate Rate { get; init; }

    /// <summary>Requests allowed at once above the rate; the rate's per-second count when absent.</summary>
    [Range(1, 1_000_000)]
    public int? Burst { get; init; }
}
