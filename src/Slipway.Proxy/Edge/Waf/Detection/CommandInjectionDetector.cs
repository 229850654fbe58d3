using System.Buffers;

namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>
/// OS command injection: a place where a shell starts a new command (after ; | || &amp; &amp;&amp;,
/// a newline, inside $( ) or backticks, at a brace expansion) holding a known command with
/// arguments that look like a shell's. It reads a view of the value with the characters a shell
/// drops from words removed (<c>\ " ' ^</c>, so <c>c'a't</c> and <c>w"h"o"am"i</c> read as the
/// command) and commas as spaces (<c>{cat,/etc/passwd}</c>). Separators that prose uses
/// ("Tom &amp; Jerry; cat lovers", markdown table pipes) have no command with shell arguments after them.
/// </summary>
internal static class CommandInjectionDetector
{
    private static readonly WafRuleId[] Rules =
        [WafRuleId.CmdiSeparator, WafRuleId.CmdiSubstitution, WafRuleId.CmdiShellshock, WafRuleId.CmdiEvasion];

    /// <summary>How much of a command's first argument is read: enough for any path or URL worth flagging.</summary>
    private const int MaxArgumentChars = 256;

    /// <summary>Every rule needs one of these: a separator, a substitution, a brace, or '(' for Shellshock.</summary>
    public const string SyntaxChars = ";|&\n`{$(";

    private static readonly SearchValues<char> Syntax = SearchValues.Create(SyntaxChars);

    private static readonly ulong ClassBits = Rules.Aggregate(0UL, (bits, id) => bits | WafRules.Get(id).Bit);

    /// <param name="scratch">At least <c>text.Length</c> characters.</param>
    public static bool Detect(ReadOnlySpan<char> text, ulong enabled, Span<char> scratch, out WafRuleId rule, out int at)
    {
        rule = default;
        at = 0;
        if ((enabled & ClassBits) == 0 || !text.ContainsAny(Syntax))
        {
            return false;
        }

        if (On(enabled, WafRuleId.CmdiShellshock) && IsShellshock(text))
        {
            rule = WafRuleId.CmdiShellshock;
            return true;
        }

        if (On(enabled, WafRuleId.CmdiEvasion))
        {
            at = text.IndexOf("$ifs", StringComparison.Ordinal);
            at = at >= 0 ? at : text.IndexOf("${ifs}", StringComparison.Ordinal);
            if (at >= 0)
            {
                rule = WafRuleId.CmdiEvasion;
                return true;
            }
        }

        var view = ShellView(text, scratch);
        if (!FindCommand(view, enabled, out rule, out var viewAt))
        {
            return false;
        }

        at = TextIndex(text, viewAt);
        return true;
    }

    private static bool On(ulong enabled, WafRuleId id) => (enabled & WafRules.Get(id).Bit) != 0;

    /// <summary>CVE-2014-6271: bash imported a function definition from an environment variable and ran what followed it.</summary>
    private static bool IsShellshock(ReadOnlySpan<char> text)
    {
        text = text.TrimStart(" \n");
        return text.StartsWith("()", StringComparison.Ordinal) && text[2..].TrimStart(' ').StartsWith('{');
    }

    private static ReadOnlySpan<char> ShellView(ReadOnlySpan<char> text, Span<char> scratch)
    {
        var length = 0;
        foreach (var c in text)
        {
            if (!IsDroppedByShell(c))
            {
                scratch[length++] = c == ',' ? ' ' : c;
            }
        }

        return scratch[..length];
    }

    private static bool IsDroppedByShell(char c) => c is '\\' or '"' or '\'' or '^';

    /// <summary>Where a position in the shell view lies in the text (for the excerpt).</summary>
    private static int TextIndex(ReadOnlySpan<char> text, int viewIndex)
    {
        var kept = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsDroppedByShell(text[i]))
            {
                continue;
            }

            if (kept++ == viewIndex)
            {
                return i;
            }
        }

        return text.Length;
    }

    private static bool FindCommand(ReadOnlySpan<char> view, ulong enabled, out WafRuleId rule, out int at)
    {
        var table = HasTableDelimiterRow(view);
        var tableRow = table && IsTableRow(view);
        for (var i = 0; i < view.Length; i++)
        {
            var c = view[i];
            var start = i;
            var substitution = false;
            switch (c)
            {
                case '\n':
                    tableRow = table && IsTableRow(view[(i + 1)..]);
                    break;
                case ';' or '{':
                    break;
                case '&' or '|':
                    if (c == '|' && tableRow)
                    {
                        continue;
                    }

                    // || and && separate like | and &.
                    if (i + 1 < view.Length && view[i + 1] == c)
                    {
                        i++;
                    }

                    break;
                case '$' when i + 1 < view.Length && view[i + 1] == '(':
                    i++;
                    substitution = true;
                    break;

                // A backtick after a space opens a markdown code span more often than a shell
                // substitution, and three of them fence a code block.
                case '`' when (i == 0 || view[i - 1] is not (' ' or '\n' or '`')) && (i + 1 >= view.Length || view[i + 1] != '`'):
                    substitution = true;
                    break;
                default:
                    continue;
            }

            var position = i + 1;

            var ruleId = substitution ? WafRuleId.CmdiSubstitution : WafRuleId.CmdiSeparator;
            if (!On(enabled, ruleId) && !On(enabled, WafRuleId.CmdiEvasion))
            {
                continue;
            }

            var found = CommandAt(view, position, substitution && c == '$');
            if (found == Found.Command && On(enabled, ruleId))
            {
                rule = ruleId;
                at = start;
                return true;
            }

            if (found == Found.GlobbedPath && On(enabled, WafRuleId.CmdiEvasion))
            {
                rule = WafRuleId.CmdiEvasion;
                at = start;
                return true;
            }
        }

        rule = default;
        at = 0;
        return false;
    }

    /// <summary>
    /// A GitHub-flavoured markdown table: it has a delimiter row (<c>| --- | :-: |</c>), and its
    /// rows, which start with '|', use the pipe as a column separator.
    /// </summary>
    private static bool IsTableRow(ReadOnlySpan<char> line) => line.TrimStart(' ').StartsWith('|');

    private static bool HasTableDelimiterRow(ReadOnlySpan<char> view)
    {
        foreach (var range in view.Split('\n'))
        {
            var line = view[range].Trim(' ');
            if (line.Contains('|') && line.Contains('-') && !line.ContainsAnyExcept("|-: "))
            {
                return true;
            }
        }

        return false;
    }

    private static Found CommandAt(ReadOnlySpan<char> view, int position, bool anyArguments)
    {
        var i = position;
        while (i < view.Length && view[i] == ' ')
        {
            i++;
        }

        var wordStart = i;
        while (i < view.Length && (char.IsAsciiLetterOrDigit(view[i]) || view[i] is '_' or '.' or '-' or '/' or '?' or '*'))
        {
            i++;
        }

        var word = view[wordStart..i];
        if (word.IsEmpty)
        {
            return Found.Nothing;
        }

        // /bin/cat runs cat; /???/c?t runs it too and means someone is hiding it.
        var slash = word.LastIndexOf('/');
        if (slash >= 0)
        {
            if (word[0] == '/' && word.ContainsAny('?', '*'))
            {
                return Found.GlobbedPath;
            }

            word = word[(slash + 1)..];
        }

        if (word.EndsWith(".exe", StringComparison.Ordinal))
        {
            word = word[..^4];
        }

        if (!ShellCommands.TryGet(word, out var command))
        {
            return Found.Nothing;
        }

        return anyArguments || HasShellArguments(view[i..], command) ? Found.Command : Found.Nothing;
    }

    private static bool HasShellArguments(ReadOnlySpan<char> rest, ShellCommand command)
    {
        if (rest.IsEmpty || rest[0] is ';' or '|' or '&' or '\n' or '<' or '>' or '`' or '$' or ')' or '#')
        {
            return true;
        }

        if (rest[0] != ' ')
        {
            return false;
        }

        rest = rest.TrimStart(' ');
        if (rest.IsEmpty || command == ShellCommand.Unmistakable)
        {
            return true;
        }

        var argument = rest[..IndexOfWordEnd(rest[..Math.Min(rest.Length, MaxArgumentChars)])];
        if (command == ShellCommand.Net)
        {
            return ShellCommands.IsNetSubcommand(argument);
        }

        var first = rest[0];
        var second = rest.Length > 1 ? rest[1] : '\0';
        return first is '/' or '~' or '$' or '*' or '?' or '<' or '>' or '|' or ';' or '&' or '`' or '#' or '\n'
            || char.IsAsciiDigit(first)
            || (first == '-' && (char.IsAsciiLetterOrDigit(second) || second == '-'))
            || (first == '.' && second is '/' or '.')
            || (char.IsAsciiLetterLower(first) && second == ':')
            || argument.Contains("://", StringComparison.Ordinal)
            || IsFileOrHostName(argument);
    }

    /// <summary>notes.txt, attacker.example: letters on both sides of a dot.</summary>
    private static bool IsFileOrHostName(ReadOnlySpan<char> word)
    {
        var dot = word.IndexOf('.');
        return dot > 0 && dot < word.Length - 1 && char.IsAsciiLetterOrDigit(word[dot - 1]) && char.IsAsciiLetterOrDigit(word[dot + 1]);
    }

    private static int IndexOfWordEnd(ReadOnlySpan<char> rest)
    {
        var end = rest.IndexOfAny(" \n;|&");
        return end < 0 ? rest.Length : end;
    }

    private enum Found
    {
        Nothing,
        Command,
        GlobbedPath,
    }
}
