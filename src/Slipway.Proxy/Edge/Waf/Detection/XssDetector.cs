using System.Buffers;

namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>
/// Cross-site scripting by what a browser would do with the text, not by the presence of '&lt;':
/// tags are parsed (name, attributes, quoted values) and only tags and attributes that run
/// script or load content count, so <c>a &lt; b</c>, <c>&lt;b&gt;bold&lt;/b&gt;</c> and
/// <c>&lt;a href="https://…"&gt;</c> pass. Outside tags: script URLs where a URL starts,
/// attribute break-outs into an event handler, string break-outs into a script sink, and
/// AngularJS template injection.
/// </summary>
internal static partial class XssDetector
{
    private static readonly string[] CallSinks = ["alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "function", "fetch", "import"];

    private static readonly string[] PropertySinks =
        ["document.cookie", "document.write", "document.domain", "window.location", "location.href", "top.location", "window.open", "string.fromcharcode"];

    private static readonly SearchValues<string> Sinks = SearchValues.Create([.. CallSinks, .. PropertySinks], StringComparison.Ordinal);

    private static readonly SearchValues<string> TemplateMarkers = SearchValues.Create(["constructor", "$eval", "$on."], StringComparison.Ordinal);

    /// <summary>Every rule needs one of these: a tag, a scheme's ':', an attribute's '=', a quote to break out of, a template's '{'.</summary>
    public const string SyntaxChars = "<:='\"`{";

    private static readonly SearchValues<char> Syntax = SearchValues.Create(SyntaxChars);

    private static readonly WafRuleId[] Rules =
        [WafRuleId.XssScript, WafRuleId.XssEventHandler, WafRuleId.XssScriptUrl, WafRuleId.XssDangerousTag, WafRuleId.XssScriptBreakout, WafRuleId.XssTemplate];

    private static readonly ulong ClassBits = Rules.Aggregate(0UL, (bits, id) => bits | WafRules.Get(id).Bit);

    public static bool Detect(ReadOnlySpan<char> text, ulong enabled, out WafRuleId rule, out int at)
    {
        rule = default;
        at = 0;
        if ((enabled & ClassBits) == 0 || !text.ContainsAny(Syntax))
        {
            return false;
        }

        return (text.Contains('<') && FindInTags(text, enabled, out rule, out at))
            || (On(enabled, WafRuleId.XssScriptUrl) && FindScriptUrl(text, out at) && Is(WafRuleId.XssScriptUrl, out rule))
            || (On(enabled, WafRuleId.XssEventHandler) && FindHandlerBreakout(text, out at) && Is(WafRuleId.XssEventHandler, out rule))
            || (On(enabled, WafRuleId.XssScriptBreakout) && FindSinkBreakout(text, out at) && Is(WafRuleId.XssScriptBreakout, out rule))
            || (On(enabled, WafRuleId.XssTemplate) && FindTemplate(text, out at) && Is(WafRuleId.XssTemplate, out rule));
    }

    private static bool On(ulong enabled, WafRuleId id) => (enabled & WafRules.Get(id).Bit) != 0;

    private static bool Is(WafRuleId id, out WafRuleId rule)
    {
        rule = id;
        return true;
    }

    /// <summary><c>" onfocus=alert(1) autofocus="</c>: an event handler after a quote, with no tag in sight.</summary>
    private static bool FindHandlerBreakout(ReadOnlySpan<char> text, out int at)
    {
        var from = 1;
        while (from < text.Length)
        {
            var found = text[from..].IndexOf("on", StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            at = from + found;
            from = at + 2;
            if (text[at - 1] is not (' ' or '\n' or '/' or '"' or '\'' or '`'))
            {
                continue;
            }

            var end = at + 2;
            while (end < text.Length && end - at < 30 && char.IsAsciiLetterLower(text[end]))
            {
                end++;
            }

            var equals = end;
            while (equals < text.Length && equals - end < 4 && text[equals] is ' ' or '\n')
            {
                equals++;
            }

            if (equals < text.Length && text[equals] == '=' && EventHandlerNames.Contains(text[(at + 2)..end])
                && text[Math.Max(0, at - 64)..at].IndexOfAny("\"'`") >= 0)
            {
                return true;
            }
        }

        at = 0;
        return false;
    }

    /// <summary><c>';alert(1)//</c>, <c>"-eval(x)-"</c>: a quote, operators, then a script sink.</summary>
    private static bool FindSinkBreakout(ReadOnlySpan<char> text, out int at)
    {
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOfAny(Sinks);
            if (found < 0)
            {
                break;
            }

            at = from + found;
            from = at + 1;
            var length = SinkLength(text[at..], out var isCall);
            var after = at + length;
            while (after < text.Length && text[after] == ' ')
            {
                after++;
            }

            if ((!isCall || (after < text.Length && text[after] is '(' or '`')) && QuoteThenOperator(text, at))
            {
                return true;
            }
        }

        at = 0;
        return false;
    }

    private static int SinkLength(ReadOnlySpan<char> rest, out bool isCall)
    {
        foreach (var sink in CallSinks)
        {
            if (rest.StartsWith(sink, StringComparison.Ordinal))
            {
                isCall = true;
                return sink.Length;
            }
        }

        isCall = false;
        foreach (var sink in PropertySinks)
        {
            if (rest.StartsWith(sink, StringComparison.Ordinal))
            {
                return sink.Length;
            }
        }

        return 1;
    }

    /// <summary>Walks back from a sink over an object prefix (window.), then at least one operator, to a quote.</summary>
    private static bool QuoteThenOperator(ReadOnlySpan<char> text, int sink)
    {
        var i = sink - 1;
        if (i >= 0 && text[i] == '.')
        {
            while (i >= 0 && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '_' or '$'))
            {
                i--;
            }
        }
        else if (i >= 0 && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '$'))
        {
            return false;
        }

        var operators = 0;
        for (var steps = 0; i >= 0 && steps < 8; i--, steps++)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                return operators > 0;
            }

            if (c is ';' or '+' or '-' or '*' or '/' or '|' or '&' or ',' or '!' or '^' or '~' or '(' or ')' or '{' or '}' or '[' or ']' or ':' or '?' or '=' or '<' or '>')
            {
                operators++;
            }
            else if (c is not (' ' or '\n' or '\\'))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// AngularJS sandbox escapes: <c>{{constructor.constructor('…')()}}</c>, <c>{{$on.constructor(…)}}</c>.
    /// Found from the rare marker back to an open <c>{{</c>, so text full of braces costs nothing extra.
    /// </summary>
    private static bool FindTemplate(ReadOnlySpan<char> text, out int at)
    {
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOfAny(TemplateMarkers);
            if (found < 0)
            {
                break;
            }

            var marker = from + found;
            from = marker + 1;
            var before = text[Math.Max(0, marker - 200)..marker];
            var open = before.LastIndexOf("{{", StringComparison.Ordinal);
            if (open >= 0 && !before[open..].Contains("}}", StringComparison.Ordinal))
            {
                at = marker - before.Length + open;
                return true;
            }
        }

        at = 0;
        return false;
    }
}
