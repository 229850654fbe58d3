using System.Buffers;

namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>
/// SQL injection by structure, as libinjection does it: the value is tokenised three times, as
/// it stands (a numeric context: <c>WHERE id=$value</c>) and as if pasted after an opening
/// <c>'</c> and <c>"</c> (string contexts). An injection has to close the literal it was pasted
/// into and go on as SQL; prose, names (O'Brien), JSON and search queries do not. The rules read
/// the tokens right after the closed literal (boolean, clause, comment, statement) and, anywhere,
/// the shapes no prose has (UNION SELECT, '; DROP TABLE', a delay or error function inside an
/// expression).
/// </summary>
internal static class SqlInjectionDetector
{
    private static readonly WafRuleId[] Rules =
        [WafRuleId.SqliUnion, WafRuleId.SqliStacked, WafRuleId.SqliTime, WafRuleId.SqliError, WafRuleId.SqliBoolean, WafRuleId.SqliClause, WafRuleId.SqliComment];

    private static readonly ulong ClassBits = Rules.Aggregate(0UL, (bits, id) => bits | WafRules.Get(id).Bit);

    /// <summary>
    /// Every rule needs one of these: a quote to close, a ';' before a second statement, a '('
    /// of a call or subquery. Without them only a leading number (numeric context) or UNION can
    /// start an injection.
    /// </summary>
    public const string SyntaxChars = "'\";(";

    private static readonly SearchValues<char> Syntax = SearchValues.Create(SyntaxChars);

    public static bool Detect(ReadOnlySpan<char> text, ulong enabled, out WafRuleId rule, out int at)
    {
        rule = default;
        at = 0;
        if ((enabled & ClassBits) == 0 || !CanMatch(text))
        {
            return false;
        }

        var tokens = ArrayPool<SqlToken>.Shared.Rent(text.Length + 1);
        try
        {
            foreach (var quote in "\0'\"")
            {
                if (quote != '\0' && !text.Contains(quote))
                {
                    continue;
                }

                var count = SqlLexer.Lex(text, quote, tokens);
                var context = new SqlContext(text, tokens.AsSpan(0, count), enabled);
                if (context.FindAnywhere(out rule, out at) || context.FindAfterBreakout(quote != '\0', out rule, out at))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            ArrayPool<SqlToken>.Shared.Return(tokens);
        }
    }

    /// <summary>False when no rule can match <paramref name="text"/> (raw or normalised: case is ignored).</summary>
    public static bool CanMatch(ReadOnlySpan<char> text)
    {
        if (text.ContainsAny(Syntax) || text.Contains("union", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var start = text.TrimStart(' ');
        return !start.IsEmpty && (char.IsAsciiDigit(start[0]) || start[0] is '-' or '+' or '.');
    }
}
