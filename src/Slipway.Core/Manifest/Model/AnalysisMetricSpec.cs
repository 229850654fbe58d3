using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Slipway.Core.Alerting;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// A business metric a new revision must keep within limits during analysis: an application function of the alert
/// language (<c>app_ratio("payments_failed_total", "payments_total")[1m]</c>) evaluated for the new revision alone
/// and, with <see cref="MaxOverStable"/>, for the stable one too.
/// </summary>
internal sealed record AnalysisMetricSpec : IValidatedSpec
{
    [Required]
    public string Name { get; init; } = "";

    /// <summary><c>app_rate</c>, <c>app_value</c> or <c>app_ratio</c> with its window, without a comparison; service and revision are set by the rollout.</summary>
    [Required]
    public string Expr { get; init; } = "";

    /// <summary>The new revision fails the check above this.</summary>
    public double? Max { get; init; }

    /// <summary>The new revision fails the check below this.</summary>
    public double? Min { get; init; }

    /// <summary>The new revision fails the check when its value exceeds the stable revision's by more than this.</summary>
    public double? MaxOverStable { get; init; }

    public void Validate(SpecContext context)
    {
        if (!RevisionNames.IsValidName(Name))
        {
            context.Error("name", $"must be lowercase letters, digits and '-' (got {ScalarParsers.Quote(Name)})");
        }

        if (!AlertExpressionParser.TryParseSelector(Expr, out var selector, out var error))
        {
            context.Error("expr", error!);
        }
        else if (selector!.Function.Source != AlertSource.Application)
        {
            context.Error("expr", $"analysis metrics read what services serve: use app_rate, app_value or app_ratio (got {selector.Function.Name}; the proxy's own numbers are maxErrorRate, maxP95, maxP99)");
        }
        else if (selector.Matchers.FirstOrDefault(m => m.Name is "service" or "revision") is { } fixedLabel)
        {
            context.Error("expr", $"the rollout sets `{fixedLabel.Name}` itself; match only the series' own labels");
        }

        if (Max is null && Min is null && MaxOverStable is null)
        {
            context.Error("needs at least one of `max`, `min`, `maxOverStable`");
        }

        if (Min is { } min && Max is { } max && min > max)
        {
            context.Error("min", $"must not be above max ({min.ToString(CultureInfo.InvariantCulture)} > {max.ToString(CultureInfo.InvariantCulture)})");
        }

        if (MaxOverStable is < 0)
        {
            context.Error("maxOverStable", "must be 0 or more");
        }
    }
}
