using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>Replicas follow load between <see cref="Min"/> and <see cref="Max"/>.</summary>
internal sealed record AutoscaleSpec : IValidatedSpec
{
    [Range(0, 1000)]
    public int Min { get; init; } = 1;

    [Required]
    [Range(1, 1000)]
    public int Max { get; init; }

    /// <summary>Target average CPU per instance, relative to <c>resources.cpu</c> (one core when unset).</summary>
    public Percentage? Cpu { get; init; }

    /// <summary>Target average memory per instance, relative to <c>resources.memory</c>.</summary>
    public Percentage? Memory { get; init; }

    /// <summary>Target requests per second per instance.</summary>
    [Range(1, 1_000_000)]
    public int? RpsPerInstance { get; init; }

    /// <summary>Scale down only after load stayed low this long.</summary>
    public TimeSpan ScaleDownStabilization { get; init; } = TimeSpan.FromMinutes(5);

    public void Validate(SpecContext context)
    {
        if (Min > Max)
        {
            context.Error("min", $"must not be greater than max ({Max}) (got {Min})");
        }

        if (Cpu is null && Memory is null && RpsPerInstance is null)
        {
            context.Error("needs a target: `cpu`, `memory` or `rpsPerInstance`");
        }

        if (Cpu is { Value: <= 0 or > 1000 })
        {
            context.Error("cpu", $"must be between 1% and 1000% (got {Cpu})");
        }

        if (Memory is { Value: <= 0 or > 100 })
        {
            context.Error("memory", $"must be between 1% and 100% (got {Memory})");
        }
    }
}
