using System.Text;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// Splits <c>a "b c" 'd'</c> into words the way a POSIX shell would for quotes and
/// backslashes, and does nothing else a shell does: no variables, globs or pipes.
/// </summary>
internal static class CommandLineSplitter
{
    public static bool TrySplit(string line, out List<string> words, out string? error)
    {
        words = [];
        var word = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                {
                    word.Append(line[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote != '\0')
        {
            error = $"has an unclosed {quote} quote";
            return false;
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        error = null;
        return true;
    }
}
