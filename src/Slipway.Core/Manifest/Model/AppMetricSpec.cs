using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// <c>autoscale.app: { metric: queue_depth, target: 100 }</c>: the average over instances of a value each serves on
/// <c>metrics.path</c> (a HorizontalPodAutoscaler <c>Pods</c> metric with an <c>AverageValue</c> target).
/// </summary>
internal sealed record AppMetricSpec : IValidatedSpec
{
    /// <summary>A sample name the instances serve; an instance's series of that name (any labels) are added up.</summary>
    [Required]
    public string Metric { get; init; } = "";

    /// <summary>The value each instance should average.</summary>
    [Required]
    public double Target { get; init; }

    public void Validate(SpecContext context)
    {
        if (!IsMetricName(Metric))
        {
            context.Error("metric", $"must be a Prometheus metric name such as queue_depth (got {ScalarParsers.Quote(Metric)})");
        }

        if (Target <= 0)
        {
            context.Error("target", $"must be more than 0 (got {Target.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    private static bool IsMetricName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');
}
