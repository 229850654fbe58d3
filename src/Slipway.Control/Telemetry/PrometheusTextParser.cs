using System.Globalization;
using System.Text;

namespace Slipway.Control.Telemetry;

/// <summary>
/// Parses the Prometheus text exposition format 0.0.4 that applications serve: <c># HELP</c> and <c># TYPE</c>
/// lines, other comments, samples with escaped label values, NaN and ±Inf values, optional timestamps.
/// Strict where a wrong answer would mislead (a bad escape, a duplicate series, a TYPE after its samples, a
/// bucket without a numeric <c>le</c>): the whole scrape is rejected with the first error and its line, so
/// a half-read scrape never reaches alerts or rollout analysis.
/// </summary>
internal static class PrometheusTextParser
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];
    private static readonly string[] SummarySuffixes = ["_sum", "_count"];

    public static ParsedScrape Parse(string text)
    {
        var families = new List<Builder>();
        var byName = new Dictionary<string, Builder>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            var error = line.TrimStart(' ', '\t').StartsWith('#')
                ? Comment(line, byName, families)
                : line.Trim(' ', '\t').Length == 0 ? null : Sample(line, byName, families, seen);
            if (error is not null)
            {
                return new ParsedScrape([], $"line {lineNumber.ToString(CultureInfo.InvariantCulture)}: {error}");
            }
        }

        return new ParsedScrape([.. families.Where(f => f.Samples.Count > 0).Select(f => new ParsedFamily(f.Name, f.Type ?? "untyped", f.Help ?? "", f.Samples))], null);
    }

    private static string? Comment(string line, Dictionary<string, Builder> byName, List<Builder> families)
    {
        var tokens = line.TrimStart(' ', '\t')[1..].TrimStart(' ', '\t');
        var keyword = tokens.StartsWith("HELP ", StringComparison.Ordinal) || tokens.StartsWith("HELP\t", StringComparison.Ordinal) ? "HELP"
            : tokens.StartsWith("TYPE ", StringComparison.Ordinal) || tokens.StartsWith("TYPE\t", StringComparison.Ordinal) ? "TYPE"
            : null;
        if (keyword is null)
        {
            return null; // a plain comment
        }

        var rest = tokens[4..].TrimStart(' ', '\t');
        var nameEnd = rest.IndexOfAny([' ', '\t']);
        var name = nameEnd < 0 ? rest : rest[..nameEnd];
        var argument = nameEnd < 0 ? "" : rest[(nameEnd + 1)..];
        if (!MetricsWriter.IsValidName(name))
        {
            return $"# {keyword} names `{name}`, which is not a valid metric name";
        }

        var family = Family(name, byName, families);
        if (keyword == "HELP")
        {
            if (family.Help is not null)
            {
                return $"a second # HELP for {name}";
            }

            if (UnescapeHelp(argument) is not { } help)
            {
                return $"# HELP {name} has a bad escape (only \\\\ and \\n are allowed)";
            }

            family.Help = help;
            return null;
        }

        var type = argument.Trim(' ', '\t');
        if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
        {
            return $"# TYPE {name} has unknown type `{type}` (counter, gauge, histogram, summary or untyped)";
        }

        if (family.Type is not null)
        {
            return $"a second # TYPE for {name}";
        }

        if (family.Samples.Count > 0)
        {
            return $"# TYPE {name} comes after samples of {name}";
        }

        family.Type = type;
        return null;
    }

    private static string? Sample(string line, Dictionary<string, Builder> byName, List<Builder> families, HashSet<string> seen)
    {
        var i = 0;
        Skip(line, ref i);
        var start = i;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        var name = line[start..i];
        if (!MetricsWriter.IsValidName(name))
        {
            return name.Length == 0 ? $"expected a metric name at column {i + 1}" : $"`{name}` is not a valid metric name";
        }

        var labels = new List<KeyValuePair<string, string>>();
        Skip(line, ref i);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            if (Labels(line, ref i, labels) is { } labelError)
            {
                return $"{name}: {labelError}";
            }
        }

        Skip(line, ref i);
        var rest = line[i..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is 0 or > 2)
        {
            return rest.Length == 0 ? $"{name} has no value" : $"{name} has more than a value and a timestamp: `{line[i..]}`";
        }

        if (ParseValue(rest[0]) is not { } value)
        {
            return $"{name} has value `{rest[0]}`, which is not a number";
        }

        long? timestamp = null;
        if (rest.Length == 2)
        {
            if (!long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
            {
                return $"{name} has timestamp `{rest[1]}`, which is not whole milliseconds";
            }

            timestamp = ms;
        }

        var family = FamilyOf(name, byName, families);
        if (Check(family, name, labels) is { } typeError)
        {
            return typeError;
        }

        if (!seen.Add(SeriesKey(name, labels)))
        {
            return $"{name}{{{string.Join(",", labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} appears twice";
        }

        family.Samples.Add(new ParsedSample(name, labels, value, timestamp));
        return null;
    }

    /// <summary>Reads <c>name="value", ...}</c> after the opening brace; a trailing comma is allowed.</summary>
    private static string? Labels(string line, ref int i, List<KeyValuePair<string, string>> labels)
    {
        while (true)
        {
            Skip(line, ref i);
            if (i < line.Length && line[i] == '}')
            {
                i++;
                return null;
            }

            var start = i;
            while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_'))
            {
                i++;
            }

            var label = line[start..i];
            if (!MetricsWriter.IsValidLabelName(label))
            {
                return label.Length == 0 ? $"expected a label name or `}}` at column {i + 1}" : $"`{label}` is not a valid label name";
            }

            if (labels.Any(l => l.Key == label))
            {
                return $"label {label} appears twice";
            }

            Skip(line, ref i);
            if (i >= line.Length || line[i] != '=')
            {
                return $"expected `=` after label {label} at column {i + 1}";
            }

            i++;
            Skip(line, ref i);
            if (i >= line.Length || line[i] != '"')
            {
                return $"expected a quoted value for label {label} at column {i + 1}";
            }

            i++;
            var value = new StringBuilder();
            var closed = false;
            while (i < line.Length)
            {
                var c = line[i++];
                if (c == '"')
                {
                    closed = true;
                    break;
                }

                if (c == '\\')
                {
                    if (i >= line.Length)
                    {
                        break;
                    }

                    var escaped = line[i++];
                    switch (escaped)
                    {
                        case '\\': value.Append('\\'); break;
                        case '"': value.Append('"'); break;
                        case 'n': value.Append('\n'); break;
                        default: return $"bad escape `\\{escaped}` in the value of label {label}";
                    }
                }
                else
                {
                    value.Append(c);
                }
            }

            if (!closed)
            {
                return $"the value of label {label} has no closing quote";
            }

            labels.Add(new(label, value.ToString()));
            Skip(line, ref i);
            if (i < line.Length && line[i] == ',')
            {
                i++;
            }
            else if (i >= line.Length || line[i] != '}')
            {
                return $"expected `,` or `}}` after label {label} at column {i + 1}";
            }
        }
    }

    /// <summary>The family a sample belongs to: its own name, or a histogram/summary it is a suffix of, or a new untyped one.</summary>
    private static Builder FamilyOf(string name, Dictionary<string, Builder> byName, List<Builder> families)
    {
        foreach (var suffix in HistogramSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && byName.TryGetValue(name[..^suffix.Length], out var parent)
                && (parent.Type == "histogram" || (parent.Type == "summary" && SummarySuffixes.Contains(suffix))))
            {
                return parent;
            }
        }

        return Family(name, byName, families);
    }

    private static string? Check(Builder family, string name, List<KeyValuePair<string, string>> labels)
    {
        var suffix = name[family.Name.Length..];
        switch (family.Type)
        {
            case "histogram" when suffix.Length == 0:
                return $"{name} is a histogram; its samples are {name}_bucket, {name}_sum and {name}_count";
            case "histogram" when suffix == "_bucket":
                var le = labels.FirstOrDefault(l => l.Key == "le").Value;
                return le is null ? $"{name} has no `le` label" : ParseValue(le) is null ? $"{name} has le=\"{le}\", which is not a number" : null;
            case "summary" when suffix.Length == 0:
                var quantile = labels.FirstOrDefault(l => l.Key == "quantile").Value;
                return quantile is null ? $"{name} is a summary; its samples need a `quantile` label"
                    : ParseValue(quantile) is null ? $"{name} has quantile=\"{quantile}\", which is not a number" : null;
            default:
                return null;
        }
    }

    private static Builder Family(string name, Dictionary<string, Builder> byName, List<Builder> families)
    {
        if (!byName.TryGetValue(name, out var family))
        {
            family = new Builder(name);
            byName[name] = family;
            families.Add(family);
        }

        return family;
    }

    /// <summary>A number as Go's ParseFloat reads it in this format: decimal or exponent, NaN, Inf, +Inf, -Inf (any case).</summary>
    internal static double? ParseValue(string text)
    {
        var unsigned = text.StartsWith('+') || text.StartsWith('-') ? text[1..] : text;
        var negative = text.StartsWith('-');
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }

        return unsigned.Length > 0 && (char.IsAsciiDigit(unsigned[0]) || unsigned[0] == '.')
            && double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    /// <summary>Help text with <c>\\</c> and <c>\n</c> unescaped; null for any other escape, as Prometheus' own parser refuses it.</summary>
    private static string? UnescapeHelp(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }

            if (++i >= text.Length)
            {
                return null;
            }

            switch (text[i])
            {
                case '\\': result.Append('\\'); break;
                case 'n': result.Append('\n'); break;
                default: return null;
            }
        }

        return result.ToString();
    }

    private static string SeriesKey(string name, List<KeyValuePair<string, string>> labels) =>
        name + "\0" + string.Join("\0", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "\u0001" + l.Value));

    private static void Skip(string line, ref int i)
    {
        while (i < line.Length && line[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private sealed class Builder(string name)
    {
        public string Name { get; } = name;

        public string? Type { get; set; }

        public string? Help { get; set; }

        public List<ParsedSample> Samples { get; } = [];
    }
}
