using System.Globalization;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Alerting;

/// <summary>
/// Parses the alert language:
/// <code>
/// expression := condition ("and" condition)*
/// condition  := selector op threshold
/// selector   := function ["(" [number ","] ["metric" ("," "metric")* ","] [matcher ("," matcher)*] ")"] ["[" duration "]"]
/// matcher    := label ("=" | "!=") "value"
/// op         := "&gt;" | "&gt;=" | "&lt;" | "&lt;=" | "==" | "!="
/// threshold  := number | number "%" | duration         (5% is 0.05, 2s and 2000ms are 2)
/// </code>
/// Errors name the 1-based column: <c>at column 14: expected a comparison (&gt;, &gt;=, &lt;, &lt;=, ==, !=)</c>.
/// </summary>
internal sealed class AlertExpressionParser
{
    private readonly string _text;
    private int _pos;

    private AlertExpressionParser(string text) => _text = text;

    public static bool TryParse(string text, out AlertExpression? expression, out string? error)
    {
        var parser = new AlertExpressionParser(text);
        try
        {
            expression = parser.Expression();
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            expression = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// A selector alone, without comparison (<c>app_ratio("payments_failed_total", "payments_total")[1m]</c>), as
    /// rollout analysis metrics write it; their limits are fields of their own.
    /// </summary>
    public static bool TryParseSelector(string text, out AlertSelector? selector, out string? error)
    {
        var parser = new AlertExpressionParser(text);
        try
        {
            selector = parser.Selector();
            parser.SkipSpace();
            if (parser._pos < text.Length)
            {
                throw parser.Fail(parser._pos, "expected the end of the expression (no comparison here: the limits are fields of their own)");
            }

            error = null;
            return true;
        }
        catch (FormatException e)
        {
            selector = null;
            error = e.Message;
            return false;
        }
    }

    /// <exception cref="FormatException">The text is not a valid expression; the message names the column.</exception>
    public static AlertExpression Parse(string text) =>
        TryParse(text, out var expression, out var error) ? expression! : throw new FormatException(error);

    private AlertExpression Expression()
    {
        var conditions = new List<AlertCondition> { Condition() };
        while (true)
        {
            SkipSpace();
            if (_pos >= _text.Length)
            {
                break;
            }

            var start = _pos;
            if (Identifier() != "and")
            {
                throw Fail(start, "expected `and` or the end of the expression");
            }

            var condition = Condition();
            if (condition.Selector.Function.Source != conditions[0].Selector.Function.Source)
            {
                throw Fail(start, $"`and` joins conditions over the same things: {conditions[0].Selector.Function.Name} and {condition.Selector.Function.Name} do not describe the same labels");
            }

            conditions.Add(condition);
        }

        return new AlertExpression(_text.Trim(), conditions);
    }

    private AlertCondition Condition()
    {
        var selector = Selector();
        SkipSpace();
        var opAt = _pos;
        var op = Operator() ?? throw Fail(opAt, "expected a comparison (>, >=, <, <=, ==, !=)");
        SkipSpace();
        var thresholdAt = _pos;
        var threshold = Threshold(thresholdAt);
        return new AlertCondition(selector, op, threshold);
    }

    private AlertSelector Selector()
    {
        SkipSpace();
        var start = _pos;
        var name = Identifier();
        if (name.Length == 0)
        {
            throw Fail(start, "expected a function such as error_ratio, rate, quantile or instance_ready");
        }

        var function = AlertFunctions.Find(name);
        if (function is null)
        {
            var hint = Suggestions.Closest(name, AlertFunctions.All.Select(f => f.Name));
            throw Fail(start, $"unknown function `{name}`" + (hint is null ? $" (known: {string.Join(", ", AlertFunctions.All.Select(f => f.Name))})" : $"; did you mean `{hint}`?"));
        }

        double? parameter = null;
        var metrics = new List<string>();
        var matchers = new List<LabelMatcher>();
        SkipSpace();
        if (Peek('('))
        {
            _pos++;
            SkipSpace();
            while (metrics.Count < function.MetricNames)
            {
                metrics.Add(MetricName(function));
                SkipSpace();
                if (Peek(','))
                {
                    _pos++;
                    SkipSpace();
                }
                else if (metrics.Count < function.MetricNames || !Peek(')'))
                {
                    throw Fail(_pos, metrics.Count < function.MetricNames ? $"{name} takes {function.MetricNames} metric names" : "expected `,` or `)` after the metric name");
                }
            }

            if (function.Parameter is { } range)
            {
                var numberAt = _pos;
                var value = Number(NumberToken(), numberAt);
                if (value < range.Min || value > range.Max)
                {
                    throw Fail(numberAt, $"{name} takes a number between {range.Min} and {range.Max} first (got {value.ToString(CultureInfo.InvariantCulture)})");
                }

                parameter = value;
                SkipSpace();
                if (Peek(','))
                {
                    _pos++;
                }
            }

            SkipSpace();
            while (!Peek(')'))
            {
                matchers.Add(Matcher(function));
                SkipSpace();
                if (Peek(','))
                {
                    _pos++;
                    SkipSpace();
                }
                else if (!Peek(')'))
                {
                    throw Fail(_pos, "expected `,` or `)` after a label matcher");
                }
            }

            _pos++;
        }

        if (function.Parameter is not null && parameter is null)
        {
            throw Fail(start, $"{name} needs its number first, e.g. {name}(0.95)");
        }

        if (metrics.Count < function.MetricNames)
        {
            throw Fail(start, function.MetricNames == 1
                ? $"{name} needs the metric's name first, e.g. {name}(\"payments_failed_total\")"
                : $"{name} needs two metric names first, e.g. {name}(\"payments_failed_total\", \"payments_total\")");
        }

        SkipSpace();
        TimeSpan? window = null;
        if (Peek('['))
        {
            var open = _pos++;
            var close = _text.IndexOf(']', _pos);
            if (close < 0)
            {
                throw Fail(open, "`[` has no closing `]`");
            }

            if (!DurationText.TryParse(_text[_pos..close], out var span, out var durationError) || span <= TimeSpan.Zero)
            {
                throw Fail(_pos, "the window " + (durationError ?? "must be longer than 0"));
            }

            if (!function.Window)
            {
                throw Fail(open, $"{name} is a current value and takes no window");
            }

            window = span;
            _pos = close + 1;
        }
        else if (function.Window)
        {
            throw Fail(_pos, $"{name} needs a window such as [5m]");
        }

        return new AlertSelector(function, parameter, matchers, window) { Metrics = metrics };
    }

    /// <summary>A quoted metric name as the application serves it: <c>"payments_failed_total"</c>.</summary>
    private string MetricName(AlertFunction function)
    {
        var start = _pos;
        if (!Peek('"'))
        {
            throw Fail(start, $"{function.Name} takes the metric's name in double quotes first, e.g. {function.Name}(\"payments_failed_total\")");
        }

        var metric = Quoted();
        if (metric.Length == 0 || !(char.IsAsciiLetter(metric[0]) || metric[0] is '_' or ':') || !metric.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
        {
            throw Fail(start + 1, $"\"{metric}\" is not a metric name (letters, digits, '_' and ':', not starting with a digit)");
        }

        if (metric.StartsWith("slipway_", StringComparison.Ordinal))
        {
            throw Fail(start + 1, $"{function.Name} reads what services serve; slipway_* names are Slipway's own (use error_ratio, rate, quantile, instance_* ...)");
        }

        return metric;
    }

    private LabelMatcher Matcher(AlertFunction function)
    {
        var start = _pos;
        var label = Identifier();
        if (label.Length == 0)
        {
            throw Fail(start, "expected a label matcher such as service=\"api\"");
        }

        if (function.Source != AlertSource.Application && !function.Labels.Contains(label))
        {
            throw Fail(start, $"{function.Name} has no label `{label}` (it has {string.Join(", ", function.Labels)})");
        }

        SkipSpace();
        bool equal;
        if (_text.AsSpan(_pos).StartsWith("!="))
        {
            equal = false;
            _pos += 2;
        }
        else if (Peek('=') && !_text.AsSpan(_pos).StartsWith("=="))
        {
            equal = true;
            _pos++;
        }
        else
        {
            throw Fail(_pos, "expected `=` or `!=` after the label");
        }

        SkipSpace();
        if (!Peek('"'))
        {
            throw Fail(_pos, "expected a value in double quotes");
        }

        return new LabelMatcher(label, Quoted(), equal);
    }

    /// <summary>A double-quoted string at the current position, with <c>\</c> escapes.</summary>
    private string Quoted()
    {
        var quote = _pos++;
        var value = new System.Text.StringBuilder();
        while (_pos < _text.Length && _text[_pos] != '"')
        {
            if (_text[_pos] == '\\' && _pos + 1 < _text.Length)
            {
                _pos++;
            }

            value.Append(_text[_pos++]);
        }

        if (_pos >= _text.Length)
        {
            throw Fail(quote, "the quoted value is not closed");
        }

        _pos++;
        return value.ToString();
    }

    private ComparisonOperator? Operator()
    {
        foreach (var (symbol, op) in new[]
                 {
                     (">=", ComparisonOperator.GreaterOrEqual), ("<=", ComparisonOperator.LessOrEqual), ("==", ComparisonOperator.Equal),
                     ("!=", ComparisonOperator.NotEqual), (">", ComparisonOperator.Greater), ("<", ComparisonOperator.Less),
                 })
        {
            if (_text.AsSpan(_pos).StartsWith(symbol))
            {
                _pos += symbol.Length;
                return op;
            }
        }

        return null;
    }

    private double Threshold(int start)
    {
        var token = NumberToken();
        if (token.Length == 0)
        {
            throw Fail(start, "expected a threshold such as 0.05, 5%, 2s or 3");
        }

        if (token.EndsWith('%'))
        {
            return Percentage.TryParse(token, out var percentage, out var error) ? percentage.Fraction : throw Fail(start, "the threshold " + error);
        }

        if (char.IsAsciiLetter(token[^1]))
        {
            return DurationText.TryParse(token, out var span, out var error) ? span.TotalSeconds : throw Fail(start, "the threshold " + error);
        }

        return Number(token, start);
    }

    private double Number(string token, int start) =>
        double.TryParse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Fail(start, $"expected a number (got \"{token}\")");

    /// <summary>Digits, sign and point, then any unit letters or a percent sign.</summary>
    private string NumberToken()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '.' or '-' or '+' or '%'))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private string Identifier()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetter(_text[_pos]) || _text[_pos] == '_' || (_pos > start && char.IsAsciiDigit(_text[_pos]))))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private bool Peek(char c) => _pos < _text.Length && _text[_pos] == c;

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private FormatException Fail(int position, string message) =>
        new($"at column {Math.Min(position, _text.Length) + 1}: {message}");
}
