using System.ComponentModel.DataAnnotations;
using Slipway.Core.Alerting;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// An alert rule: a built-in one by name (<c>- high-error-rate</c>, tunable with
/// <c>{ name: high-error-rate, for: 10m }</c>) or one of your own with an expression.
/// </summary>
internal sealed record AlertRuleSpec : IScalarShorthand<AlertRuleSpec>, IValidatedSpec
{
    public static readonly IReadOnlyList<string> BuiltIn =
    [
        "high-error-rate", "high-latency", "instance-down", "crash-looping", "high-memory", "high-cpu",
        "backup-stale", "backup-failed", "job-failed", "certificate-expiring", "slo-burn-rate",
    ];

    [Required]
    public string Name { get; init; } = "";

    /// <summary>The condition, e.g. <c>error_ratio(service="api")[5m] > 5%</c>; built-in rules bring their own.</summary>
    public string? Expr { get; init; }

    /// <summary>True this long before the alert fires (pending until then).</summary>
    public TimeSpan? For { get; init; }

    /// <summary>Keep firing this long after the condition clears, against flapping.</summary>
    public TimeSpan? KeepFiringFor { get; init; }

    public Severity? Severity { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Templates such as <c>{{ $labels.service }} fails {{ $value }}</c>.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public static AlertRuleSpec? FromScalar(string text, out string? error)
    {
        error = null;
        return new AlertRuleSpec { Name = text };
    }

    public void Validate(SpecContext context)
    {
        if (Expr is null && !BuiltIn.Contains(Name))
        {
            var hint = Suggestions.Closest(Name, BuiltIn);
            context.Error(context.IsWritten("name") ? "name" : "",
                $"names no built-in rule ({string.Join(", ", BuiltIn)}) and has no `expr`" + (hint is null ? "" : $"; did you mean `{hint}`?"));
        }

        if (Expr is not null && !AlertExpressionParser.TryParse(Expr, out _, out var exprError))
        {
            context.Error("expr", exprError!);
        }

        foreach (var (key, template) in Annotations)
        {
            if (!AlertTemplate.TryValidate(template, out var templateError))
            {
                context.Error($"annotations.{key}", templateError!);
            }
        }

        if (!RevisionNames.IsValidName(Name))
        {
            context.Error("name", $"must be lowercase letters, digits and '-' (got {ScalarParsers.Quote(Name)})");
        }
    }
}
