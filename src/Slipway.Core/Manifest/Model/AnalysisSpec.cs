using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>How a new revision is judged against the stable one while it takes traffic.</summary>
internal sealed record AnalysisSpec : IValidatedSpec
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Share of 5xx and proxy failures above which a check fails.</summary>
    public Percentage MaxErrorRate { get; init; } = new(1);

    public TimeSpan? MaxP95 { get; init; }

    public TimeSpan? MaxP99 { get; init; }

    /// <summary>Also fail when the new revision is clearly worse than stable, not only over the limits.</summary>
    public bool CompareToStable { get; init; } = true;

    /// <summary>
    /// How long after the new revision starts taking traffic (and after each step that adds instances to it) its
    /// latency is left out of the latency checks: a process just started is still compiling its code. Errors count
    /// from the first request.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests a window must hold before a check says pass or fail rather than inconclusive.</summary>
    [Range(1, 1_000_000)]
    public int MinRequests { get; init; } = 20;

    /// <summary>Failed checks in a row that roll the deploy back.</summary>
    [Range(1, 100)]
    public int FailureLimit { get; init; } = 2;

    /// <summary>Business metrics the applications serve (<c>metrics:</c>), checked for the new revision beside the proxy's numbers.</summary>
    public IReadOnlyList<AnalysisMetricSpec> Metrics { get; init; } = [];

    public void Validate(SpecContext context)
    {
        for (var i = 1; i < Metrics.Count; i++)
        {
            if (Metrics.Take(i).Any(m => m.Name == Metrics[i].Name))
            {
                context.Error($"metrics[{i}].name", $"`{Metrics[i].Name}` is already the name of another metric");
            }
        }
    }
}
