using System.Buffers;

namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>
/// Splits normalised (lower-case) text into SQL tokens the way a permissive database reads it:
/// '…' and "…" strings with doubled-quote and backslash escapes, numbers (hex too), words
/// (qualified names such as <c>information_schema.tables</c> and <c>master..xp_cmdshell</c> stay
/// one word), <c>@</c>/<c>@@</c> variables, operators, and comments. <c>--</c> and <c>#</c> run
/// to the end of the line and an unclosed <c>/*</c> to the end of the text: those cut a query off
/// and are recorded on the token before them. A closed <c>/*…*/</c> is whitespace, and MySQL's
/// executable <c>/*!50000 … */</c> is read as the code inside it.
/// </summary>
internal static class SqlLexer
{
    // Not ContainsAnyInRange: on .NET 10 that allocated 96 B per call (measured in WafInspectorTests).
    private static readonly SearchValues<char> LettersAndDigits = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");

    /// <summary>
    /// Tokenises <paramref name="text"/>. With a <paramref name="quote"/>, the text is read as if
    /// it followed that opening quote, the way an application pastes a value into '…'; the first
    /// token is then that string, closed where the value's own quote closes it.
    /// </summary>
    /// <param name="tokens">At least <c>text.Length + 1</c> long.</param>
    public static int Lex(ReadOnlySpan<char> text, char quote, Span<SqlToken> tokens)
    {
        var count = 0;
        var i = 0;
        var inExecutableComment = false;
        if (quote != '\0')
        {
            i = ReadString(text, 0, quote, out var closed);
            tokens[count++] = new SqlToken { Kind = SqlTokenKind.String, Start = 0, Length = i, Closed = closed };
        }

        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c <= ' ')
            {
                i++;
            }
            else if ((c == '-' && next == '-') || c == '#')
            {
                var end = text[i..].IndexOf('\n');
                end = end < 0 ? text.Length : i + end;
                MarkComment(tokens, count, text[(i + (c == '#' ? 1 : 2))..end]);
                i = end;
            }
            else if (c == '/' && next == '*')
            {
                i = SkipBlockComment(text, i, tokens, count, ref inExecutableComment);
            }
            else if (c == '*' && next == '/' && inExecutableComment)
            {
                inExecutableComment = false;
                i += 2;
            }
            else
            {
                i = ReadToken(text, i, ref tokens[count]);
                count++;
            }
        }

        MarkCalls(tokens[..count]);
        return count;
    }

    private static int ReadToken(ReadOnlySpan<char> text, int i, ref SqlToken token)
    {
        var c = text[i];
        token = new SqlToken { Start = i };
        int end;
        if (c is '\'' or '"')
        {
            end = ReadString(text, i + 1, c, out token.Closed);
            token.Kind = SqlTokenKind.String;
        }
        else if (c == '`')
        {
            var close = text[(i + 1)..].IndexOf('`');
            end = close < 0 ? text.Length : i + close + 2;
            token.Kind = SqlTokenKind.Word;
        }
        else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
        {
            end = ReadNumber(text, i, out var isNumber);
            token.Kind = isNumber ? SqlTokenKind.Number : SqlTokenKind.Word;
        }
        else if (IsWordChar(c))
        {
            end = ReadWord(text, i);
            token.Kind = SqlTokenKind.Word;
            token.Word = SqlWords.Classify(text[i..end]);
        }
        else if (c == '@')
        {
            end = i + 1;
            while (end < text.Length && (IsWordChar(text[end]) || text[end] is '@' or '.'))
            {
                end++;
            }

            token.Kind = end > i + 1 ? SqlTokenKind.Variable : SqlTokenKind.Other;
        }
        else
        {
            token.Kind = c switch
            {
                '(' => SqlTokenKind.LeftParen,
                ')' => SqlTokenKind.RightParen,
                ',' => SqlTokenKind.Comma,
                ';' => SqlTokenKind.Semicolon,
                _ => SqlTokenKind.Operator,
            };
            end = i + 1;
            if (token.Kind == SqlTokenKind.Operator)
            {
                end = i + ReadOperator(text[i..], out token.Operator);
                if (token.Operator == SqlOperator.None)
                {
                    token.Kind = SqlTokenKind.Other;
                }
            }
        }

        token.Length = end - i;
        return end;
    }

    /// <summary>Reads a string body starting after its opening quote; returns the index after it.</summary>
    private static int ReadString(ReadOnlySpan<char> text, int start, char quote, out bool closed)
    {
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\')
            {
                i += 2;
            }
            else if (c == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                closed = true;
                return i + 1;
            }
            else
            {
                i++;
            }
        }

        closed = false;
        return text.Length;
    }

    private static int ReadNumber(ReadOnlySpan<char> text, int start, out bool isNumber)
    {
        var i = start;
        if (text[i] == '0' && i + 2 < text.Length && text[i + 1] is 'x' or 'b' && Uri.IsHexDigit(text[i + 2]))
        {
            i += 2;
            while (i < text.Length && Uri.IsHexDigit(text[i]))
            {
                i++;
            }
        }
        else
        {
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (i + 1 < text.Length && text[i] == 'e' && (char.IsAsciiDigit(text[i + 1]) || (text[i + 1] is '+' or '-' && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2]))))
            {
                i += 2;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
        }

        // MySQL reads 1union or 2x4 as one identifier.
        isNumber = i >= text.Length || !IsWordChar(text[i]);
        return isNumber ? i : ReadWord(text, i);
    }

    private static int ReadWord(ReadOnlySpan<char> text, int start)
    {
        var i = start;
        while (i < text.Length)
        {
            if (IsWordChar(text[i]))
            {
                i++;
                continue;
            }

            // Qualified names: schema.table, db..proc.
            var dots = i;
            while (dots < text.Length && text[dots] == '.' && dots - i < 2)
            {
                dots++;
            }

            if (dots == i || dots >= text.Length || !IsWordChar(text[dots]))
            {
                break;
            }

            i = dots;
        }

        return i;
    }

    private static int ReadOperator(ReadOnlySpan<char> rest, out SqlOperator kind)
    {
        if (rest.StartsWith("<=>", StringComparison.Ordinal))
        {
            kind = SqlOperator.Comparison;
            return 3;
        }

        if (rest.Length >= 2)
        {
            kind = rest[..2] switch
            {
                "<=" or ">=" or "<>" or "!=" or "==" => SqlOperator.Comparison,
                "||" or "&&" => SqlOperator.Logic,
                "<<" or ">>" => SqlOperator.Arithmetic,
                ":=" or "::" or "->" or "=>" => SqlOperator.Other,
                _ => SqlOperator.None,
            };
            if (kind != SqlOperator.None)
            {
                return 2;
            }
        }

        kind = rest[0] switch
        {
            '=' or '<' or '>' => SqlOperator.Comparison,
            '!' => SqlOperator.Not,
            '+' or '-' or '*' or '/' or '%' or '&' or '|' or '^' or '~' => SqlOperator.Arithmetic,
            ':' => SqlOperator.Other,
            _ => SqlOperator.None,
        };
        return 1;
    }

    private static int SkipBlockComment(ReadOnlySpan<char> text, int start, Span<SqlToken> tokens, int count, ref bool inExecutableComment)
    {
        if (start + 2 < text.Length && text[start + 2] == '!')
        {
            var i = start + 3;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            inExecutableComment = true;
            return i;
        }

        var close = text[(start + 2)..].IndexOf("*/", StringComparison.Ordinal);
        if (close >= 0)
        {
            return start + 2 + close + 2;
        }

        MarkComment(tokens, count, text[(start + 2)..]);
        return text.Length;
    }

    private static void MarkComment(Span<SqlToken> tokens, int count, ReadOnlySpan<char> body)
    {
        if (count == 0)
        {
            return;
        }

        var kind = body.ContainsAny(LettersAndDigits) ? SqlComment.Text : SqlComment.Empty;
        ref var last = ref tokens[count - 1];
        if (kind > last.CommentAfter)
        {
            last.CommentAfter = kind;
        }
    }

    private static void MarkCalls(Span<SqlToken> tokens)
    {
        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            if (tokens[i].Kind == SqlTokenKind.Word && tokens[i].Word == SqlWord.None && tokens[i + 1].Kind == SqlTokenKind.LeftParen
                && tokens[i].CommentAfter == SqlComment.None)
            {
                tokens[i].IsCall = true;
            }
        }
    }

    private static bool IsWordChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '$' || (c > 0x7F && char.IsLetterOrDigit(c));
}
