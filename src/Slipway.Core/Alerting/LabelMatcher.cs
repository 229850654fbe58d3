namespace Slipway.Core.Alerting;

/// <summary><c>service="api"</c> or <c>service!="api"</c>; a missing label has the value "" (as in Prometheus).</summary>
internal sealed record LabelMatcher(string Name, string Value, bool Equal)
{
    /// <summary><c>service=api</c>, <c>service!=api</c>, or <c>service="api"</c> as the alert language writes it (silences take these); null when it is none of them.</summary>
    public static LabelMatcher? Parse(string text)
    {
        var not = text.IndexOf("!=", StringComparison.Ordinal);
        var at = not >= 0 ? not : text.IndexOf('=', StringComparison.Ordinal);
        if (at <= 0)
        {
            return null;
        }

        var label = text[..at].Trim();
        var value = text[(at + (not >= 0 ? 2 : 1))..].Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        return label.Length > 0 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(label[0]) ? new LabelMatcher(label, value, not < 0) : null;
    }

    public bool Matches(string? value) => (value ?? "") == Value == Equal;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Matches(labels.GetValueOrDefault(Name));

    public override string ToString() => $"{Name}{(Equal ? "=" : "!=")}\"{Value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
