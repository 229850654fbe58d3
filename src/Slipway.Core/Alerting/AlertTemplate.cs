using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Core.Alerting;

/// <summary>
/// Annotation templates: <c>{{ $labels.NAME }}</c> and <c>{{ $value }}</c>, the subset of Prometheus' template
/// language that reads the same in a rendered Prometheus rule file. Anything else in braces is an error.
/// </summary>
internal static partial class AlertTemplate
{
    public static bool TryValidate(string template, out string? error)
    {
        foreach (Match match in Placeholder().Matches(template))
        {
            if (!Known().IsMatch(match.Value))
            {
                error = $"at column {match.Index + 1}: {match.Value} is not a known placeholder (use {{{{ $labels.NAME }}}} or {{{{ $value }}}})";
                return false;
            }
        }

        error = null;
        return true;
    }

    public static string Render(string template, IReadOnlyDictionary<string, string> labels, double value) =>
        Known().Replace(template, m => m.Groups["label"].Success
            ? labels.GetValueOrDefault(m.Groups["label"].Value, "")
            : value.ToString("0.####", CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\{\{.*?\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{\{\s*(\$labels\.(?<label>[A-Za-z_][A-Za-z0-9_]*)|\$value)\s*\}\}")]
    private static partial Regex Known();
}
