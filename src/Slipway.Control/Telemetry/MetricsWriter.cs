using System.Globalization;
using System.Text;

namespace Slipway.Control.Telemetry;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: for each family one <c># HELP</c> and one
/// <c># TYPE</c> line, then its samples, families never interleaved or repeated; label values and help text
/// escaped as the format requires. Written here because the exporter packages do not restore on this machine.
/// </summary>
internal sealed class MetricsWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text;
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private string? _current;

    public MetricsWriter(StringBuilder text) => _text = text;

    /// <summary>Starts a family. <paramref name="type"/> is counter, gauge, histogram, summary or untyped.</summary>
    public void Family(string name, string type, string help)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"`{name}` is not a valid metric name", nameof(name));
        }

        if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
        {
            throw new ArgumentException($"`{type}` is not a metric type", nameof(type));
        }

        if (!_families.Add(name))
        {
            throw new InvalidOperationException($"metric family {name} written twice");
        }

        _current = name;
        _text.Append("# HELP ").Append(name).Append(' ');
        foreach (var c in help)
        {
            _ = c switch
            {
                '\\' => _text.Append(@"\\"),
                '\n' => _text.Append(@"\n"),
                _ => _text.Append(c),
            };
        }

        _text.Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>
    /// One sample of the current family. <paramref name="suffix"/> is empty or one of the histogram/summary
    /// suffixes (<c>_bucket</c>, <c>_sum</c>, <c>_count</c>); labels with an empty value are written as such.
    /// </summary>
    public void Sample(ReadOnlySpan<KeyValuePair<string, string>> labels, double value, string suffix = "")
    {
        var name = _current ?? throw new InvalidOperationException("Family must be called before Sample");
        _text.Append(name).Append(suffix);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    _text.Append(',');
                }

                if (!IsValidLabelName(labels[i].Key))
                {
                    throw new ArgumentException($"`{labels[i].Key}` is not a valid label name", nameof(labels));
                }

                _text.Append(labels[i].Key).Append("=\"");
                AppendEscaped(labels[i].Value);
                _text.Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static bool IsValidName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    public static bool IsValidLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && !name.StartsWith("__", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private void AppendEscaped(string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => _text.Append(@"\\"),
                '"' => _text.Append("\\\""),
                '\n' => _text.Append(@"\n"),
                _ => _text.Append(c),
            };
        }
    }
}
