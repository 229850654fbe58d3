namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>The rules over one tokenisation of a value (see <see cref="SqlInjectionDetector"/>).</summary>
internal readonly ref struct SqlContext(ReadOnlySpan<char> text, ReadOnlySpan<SqlToken> tokens, ulong enabled)
{
    private static readonly SqlToken Missing = new() { Kind = SqlTokenKind.Other, Start = -1 };

    private readonly ReadOnlySpan<char> _text = text;
    private readonly ReadOnlySpan<SqlToken> _tokens = tokens;

    /// <summary>Shapes that are SQL wherever they stand: UNION SELECT, a stacked statement, delay and error functions.</summary>
    public bool FindAnywhere(out WafRuleId rule, out int at)
    {
        for (var i = 0; i < _tokens.Length; i++)
        {
            ref readonly var token = ref _tokens[i];
            at = token.Start;
            if (token.Word == SqlWord.Union && On(WafRuleId.SqliUnion) && IsUnionSelect(i))
            {
                rule = WafRuleId.SqliUnion;
                return true;
            }

            if (token.Kind == SqlTokenKind.Semicolon && On(WafRuleId.SqliStacked) && IsStatement(i + 1))
            {
                rule = WafRuleId.SqliStacked;
                return true;
            }

            if (token.Word == SqlWord.Waitfor && Peek(i + 1).Word == SqlWord.WaitKind && On(WafRuleId.SqliTime))
            {
                rule = WafRuleId.SqliTime;
                return true;
            }

            if (token.IsCall && i > 0 && StartsExpression(_tokens[i - 1]))
            {
                var name = _text.Slice(token.Start, token.Length);
                if (On(WafRuleId.SqliTime) && SqlWords.IsDelayFunction(name))
                {
                    rule = WafRuleId.SqliTime;
                    return true;
                }

                if (On(WafRuleId.SqliError) && SqlWords.IsErrorFunction(name))
                {
                    rule = WafRuleId.SqliError;
                    return true;
                }
            }
        }

        rule = default;
        at = 0;
        return false;
    }

    /// <summary>
    /// Shapes right after the literal the value closes: a string closed by the value's own quote
    /// (<paramref name="quoted"/>), or a leading number. Closing parentheses may come between.
    /// </summary>
    public bool FindAfterBreakout(bool quoted, out WafRuleId rule, out int at)
    {
        rule = default;
        at = 0;
        var k = BreakoutEnd(quoted);
        if (k < 0)
        {
            return false;
        }

        for (var parens = 0; parens < 3 && Peek(k).Kind == SqlTokenKind.RightParen; parens++)
        {
            k++;
        }

        var next = Peek(k);
        at = next.Start >= 0 ? next.Start : _tokens[k - 1].Start;
        if (quoted && On(WafRuleId.SqliComment) && IsCutOff(k))
        {
            rule = WafRuleId.SqliComment;
            return true;
        }

        if (On(WafRuleId.SqliBoolean) && ((next.IsLogic && IsCondition(k + 1, quoted))
            || (next.Operator == SqlOperator.Arithmetic && Peek(k + 1).Kind == SqlTokenKind.LeftParen && Peek(k + 2).Word == SqlWord.Select)))
        {
            rule = WafRuleId.SqliBoolean;
            return true;
        }

        if (On(WafRuleId.SqliClause) && IsClause(k))
        {
            rule = WafRuleId.SqliClause;
            return true;
        }

        if (quoted && On(WafRuleId.SqliStacked) && IsStatement(k))
        {
            rule = WafRuleId.SqliStacked;
            return true;
        }

        return false;
    }

    private bool On(WafRuleId id) => (enabled & WafRules.Get(id).Bit) != 0;

    private SqlToken Peek(int i) => (uint)i < (uint)_tokens.Length ? _tokens[i] : Missing;

    private int BreakoutEnd(bool quoted)
    {
        if (_tokens.IsEmpty)
        {
            return -1;
        }

        if (quoted)
        {
            return _tokens[0].Closed ? 1 : -1;
        }

        var i = _tokens[0].Operator == SqlOperator.Arithmetic ? 1 : 0;
        return Peek(i).Kind == SqlTokenKind.Number ? i + 1 : -1;
    }

    private bool IsUnionSelect(int i)
    {
        var j = i + 1;
        if (Peek(j).Word is SqlWord.All or SqlWord.Distinct)
        {
            j++;
        }

        while (Peek(j).Kind == SqlTokenKind.LeftParen)
        {
            j++;
        }

        return Peek(j).Word == SqlWord.Select;
    }

    /// <summary>admin'-- : the closed literal (and perhaps a ';') is followed by nothing but an empty comment.</summary>
    private bool IsCutOff(int k)
    {
        if (Peek(k).Kind == SqlTokenKind.Semicolon)
        {
            k++;
        }

        return k == _tokens.Length && _tokens[k - 1].CommentAfter == SqlComment.Empty;
    }

    /// <summary>What follows OR/AND: a call, a parenthesised condition, or a comparison; a bare constant only where it ends the query.</summary>
    private bool IsCondition(int j, bool quoted)
    {
        while (Peek(j).IsNot)
        {
            j++;
        }

        var first = Peek(j);
        if (first.IsCall)
        {
            return true;
        }

        if (first.Kind == SqlTokenKind.LeftParen)
        {
            var inner = Peek(j + 1);
            return inner.Word == SqlWord.Select || inner.IsCall
                || inner.Kind is SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Variable or SqlTokenKind.LeftParen
                || (inner.IsOperand && Peek(j + 2).IsComparison);
        }

        if (!first.IsOperand)
        {
            return false;
        }

        var after = Peek(j + 1);
        if (after.IsComparison)
        {
            return true;
        }

        var ends = after.Start < 0 || after.Kind == SqlTokenKind.Semicolon || first.CommentAfter != SqlComment.None;
        if (!ends || (first.Kind == SqlTokenKind.Word && first.Word == SqlWord.None))
        {
            return false;
        }

        // "1 or 2" is a fine answer to a question; "1 or true", "1 or 1--" are not.
        return quoted || first.Word == SqlWord.Literal || first.Kind == SqlTokenKind.Variable
            || first.CommentAfter != SqlComment.None || after.Kind == SqlTokenKind.Semicolon;
    }

    private bool IsClause(int k)
    {
        var token = Peek(k);
        if (token.Word is SqlWord.Order or SqlWord.Group && Peek(k + 1).Word == SqlWord.By)
        {
            var j = k + 2;
            var first = j;
            while (Peek(j).IsOperand || (j > first && Peek(j).Kind == SqlTokenKind.Comma))
            {
                j++;
            }

            return j > first && (j == _tokens.Length || Peek(j).Kind == SqlTokenKind.Semicolon || _tokens[j - 1].CommentAfter != SqlComment.None);
        }

        return (token.Word == SqlWord.Having && Peek(k + 1).IsOperand && Peek(k + 2).IsComparison)
            || (token.Word == SqlWord.Into && Peek(k + 1).Word == SqlWord.DumpTarget);
    }

    /// <summary>A statement with the structure SQL gives it (prose has the verbs, not the structure).</summary>
    private bool IsStatement(int j)
    {
        var verb = Peek(j);
        var next = Peek(j + 1);
        return verb.Word switch
        {
            SqlWord.Definition => next.Word == SqlWord.DefinitionObject,
            SqlWord.Delete => next.Word == SqlWord.From,
            SqlWord.Insert => next.Word == SqlWord.Into,
            SqlWord.Update => next.Kind == SqlTokenKind.Word && next.Word == SqlWord.None && Peek(j + 2).Word == SqlWord.Set,
            SqlWord.Select => next.Kind is SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Variable or SqlTokenKind.LeftParen
                || next.IsCall || next.Operator == SqlOperator.Arithmetic || next.Word is SqlWord.Literal or SqlWord.All or SqlWord.Distinct
                || (next.IsOperand && Peek(j + 2) is { Kind: SqlTokenKind.Comma } or { Word: SqlWord.From }),
            SqlWord.Exec => next.Kind is SqlTokenKind.LeftParen or SqlTokenKind.Variable or SqlTokenKind.String
                || (next.Kind == SqlTokenKind.Word && IsProcedureName(_text.Slice(next.Start, next.Length))),
            SqlWord.Declare or SqlWord.Set => next.Kind == SqlTokenKind.Variable,
            SqlWord.Shutdown => next.Start < 0 || next.Kind == SqlTokenKind.Semicolon || verb.CommentAfter != SqlComment.None,
            SqlWord.Waitfor => next.Word == SqlWord.WaitKind,
            SqlWord.Grant => next.Word is SqlWord.All or SqlWord.Select or SqlWord.Insert or SqlWord.Update or SqlWord.Delete or SqlWord.Exec,
            SqlWord.Copy => next.Kind == SqlTokenKind.LeftParen && Peek(j + 2).Word == SqlWord.Select,
            _ => false,
        };
    }

    private static bool IsProcedureName(ReadOnlySpan<char> name) =>
        name.StartsWith("xp_", StringComparison.Ordinal) || name.StartsWith("sp_", StringComparison.Ordinal)
        || name.Contains("..", StringComparison.Ordinal);

    /// <summary>Tokens after which a function call is part of an expression, not a word in a sentence.</summary>
    private static bool StartsExpression(in SqlToken previous) =>
        previous.Kind is SqlTokenKind.LeftParen or SqlTokenKind.Comma or SqlTokenKind.Semicolon
        || previous.Operator is SqlOperator.Comparison or SqlOperator.Logic or SqlOperator.Arithmetic or SqlOperator.Not
        || previous.Word is SqlWord.Select or SqlWord.From or SqlWord.Flow or SqlWord.Logic or SqlWord.Not or SqlWord.Comparison;
}
