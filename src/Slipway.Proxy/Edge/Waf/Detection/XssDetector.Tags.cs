using System.Collections.Frozen;

namespace Slipway.Proxy.Edge.Waf.Detection;

internal static partial class XssDetector
{
    /// <summary>Tags that load or run content whatever their attributes say.</summary>
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> DangerousTags = new[]
    {
        "iframe", "frame", "frameset", "object", "embed", "applet", "meta", "base", "link", "bgsound", "isindex",
        "portal", "layer", "ilayer", "import",
    }.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly System.Buffers.SearchValues<char> LowerLetters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz");

    private static readonly string[] ActiveCss = ["expression(", "@import", "javascript:", "behavior:", "-moz-binding"];

    /// <summary>Reads every tag: its name, then its attributes up to '&gt;' (at most <see cref="WafLimits.TagChars"/>).</summary>
    private static bool FindInTags(ReadOnlySpan<char> text, ulong enabled, out WafRuleId rule, out int at)
    {
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOf('<');
            if (found < 0)
            {
                break;
            }

            at = from + found;
            from = at + 1;
            var nameStart = at + 1 < text.Length && text[at + 1] == '/' ? at + 2 : at + 1;
            var nameEnd = nameStart;
            while (nameEnd < text.Length && nameEnd - nameStart < 32 && (char.IsAsciiLetterLower(text[nameEnd])
                || (nameEnd > nameStart && (char.IsAsciiDigit(text[nameEnd]) || text[nameEnd] is ':' or '-'))))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart)
            {
                continue;
            }

            var name = text[nameStart..nameEnd];
            var closing = nameStart == at + 2;
            if (name.SequenceEqual("script") && On(enabled, WafRuleId.XssScript))
            {
                rule = WafRuleId.XssScript;
                return true;
            }

            if (closing)
            {
                continue;
            }

            var limit = Math.Min(text.Length, at + WafLimits.TagChars);
            if (On(enabled, WafRuleId.XssDangerousTag) && (DangerousTags.Contains(name)
                || (name.SequenceEqual("style") && text[nameEnd..limit].IndexOfAny(ActiveCssValues) >= 0)))
            {
                rule = WafRuleId.XssDangerousTag;
                return true;
            }

            if (FindInAttributes(text[nameEnd..limit], enabled, out rule))
            {
                return true;
            }
        }

        rule = default;
        at = 0;
        return false;
    }

    private static readonly System.Buffers.SearchValues<string> ActiveCssValues =
        System.Buffers.SearchValues.Create(ActiveCss, StringComparison.Ordinal);

    private static bool FindInAttributes(ReadOnlySpan<char> tag, ulong enabled, out WafRuleId rule)
    {
        var i = 0;
        while (i < tag.Length)
        {
            while (i < tag.Length && tag[i] is ' ' or '\n' or '/')
            {
                i++;
            }

            if (i >= tag.Length || tag[i] is '>' or '<')
            {
                break;
            }

            var nameStart = i;
            while (i < tag.Length && tag[i] is not (' ' or '\n' or '/' or '>' or '<' or '='))
            {
                i++;
            }

            var name = tag[nameStart..i];
            while (i < tag.Length && tag[i] is ' ' or '\n')
            {
                i++;
            }

            var value = ReadOnlySpan<char>.Empty;
            if (i < tag.Length && tag[i] == '=')
            {
                i++;
                while (i < tag.Length && tag[i] is ' ' or '\n')
                {
                    i++;
                }

                value = ReadAttributeValue(tag, ref i);
            }
            else if (name.IsEmpty)
            {
                i++;
            }

            if (IsAttributeAttack(name, value, enabled, out rule))
            {
                return true;
            }
        }

        rule = default;
        return false;
    }

    private static ReadOnlySpan<char> ReadAttributeValue(ReadOnlySpan<char> tag, scoped ref int i)
    {
        if (i >= tag.Length)
        {
            return default;
        }

        if (tag[i] is '"' or '\'' or '`')
        {
            var quote = tag[i];
            var close = tag[(i + 1)..].IndexOf(quote);
            var end = close < 0 ? tag.Length : i + 1 + close;
            var value = tag[(i + 1)..end];
            i = Math.Min(tag.Length, end + 1);
            return value;
        }

        var start = i;
        while (i < tag.Length && tag[i] is not (' ' or '\n' or '>'))
        {
            i++;
        }

        return tag[start..i];
    }

    private static bool IsAttributeAttack(ReadOnlySpan<char> name, ReadOnlySpan<char> value, ulong enabled, out WafRuleId rule)
    {
        rule = default;
        var isHandler = name.Length >= 5 && name.StartsWith("on", StringComparison.Ordinal) && !name.ContainsAnyExcept(LowerLetters);

        // SVG animation can set an event handler by name: <set attributeName="onmouseover" to="…">.
        var setsHandler = name.SequenceEqual("attributename") && value.Length > 2 && value.StartsWith("on", StringComparison.Ordinal)
            && EventHandlerNames.Contains(value[2..]);
        if ((isHandler || setsHandler) && On(enabled, WafRuleId.XssEventHandler))
        {
            rule = WafRuleId.XssEventHandler;
            return true;
        }

        var activeStyle = name.SequenceEqual("style") && value.IndexOfAny(ActiveCssValues) >= 0;
        if ((activeStyle || name.SequenceEqual("srcdoc")) && On(enabled, WafRuleId.XssDangerousTag))
        {
            rule = WafRuleId.XssDangerousTag;
            return true;
        }

        return false;
    }
}
