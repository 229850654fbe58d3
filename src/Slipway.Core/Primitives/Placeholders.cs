using System.Text;

namespace Slipway.Core.Primitives;

/// <summary>
/// <c>${NAME}</c> placeholders in commands, arguments and hooks (<c>${VERSION}</c>, <c>${PORT}</c>, …).
/// </summary>
/// <remarks>
/// A placeholder is exactly <c>${</c>, a name <c>[A-Za-z_][A-Za-z0-9_]*</c>, and <c>}</c>; anything else
/// (<c>$HOME</c>, <c>${1}</c>, an unclosed <c>${</c>) is ordinary text and passes through untouched, so shell
/// snippets keep their meaning. <c>$${NAME}</c> writes a literal <c>${NAME}</c>; other <c>$$</c> are left alone.
/// </remarks>
internal static class Placeholders
{
    /// <summary>The names used, each once, in order of first use.</summary>
    public static IReadOnlyList<string> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = new List<string>();
        Scan(text, null, name =>
        {
            if (!names.Contains(name))
            {
                names.Add(name);
            }

            return null;
        });
        return names;
    }

    /// <summary>Replaces every placeholder with its value.</summary>
    /// <exception cref="KeyNotFoundException">A placeholder has no value; the message lists all of them.</exception>
    public static string Expand(string text, IReadOnlyDictionary<string, string> values)
    {
        if (TryExpand(text, values, out var result, out var unknown))
        {
            return result;
        }

        throw new KeyNotFoundException("unknown placeholder" + (unknown.Count > 1 ? "s " : " ") + string.Join(", ", unknown.Select(n => "${" + n + "}")));
    }

    /// <summary>
    /// Replaces the placeholders that have values. Returns false when some do not; those are then left as
    /// written in <paramref name="result"/> and listed, each once, in <paramref name="unknown"/>.
    /// </summary>
    public static bool TryExpand(string text, IReadOnlyDictionary<string, string> values, out string result, out IReadOnlyList<string> unknown)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(values);
        var missing = new List<string>();
        var builder = new StringBuilder(text.Length);
        Scan(text, builder, name =>
        {
            if (values.TryGetValue(name, out var value))
            {
                return value;
            }

            if (!missing.Contains(name))
            {
                missing.Add(name);
            }

            return null;
        });
        result = builder.ToString();
        unknown = missing;
        return missing.Count == 0;
    }

    // Walks the text once. For each placeholder, onName returns its replacement or null to keep it as written.
    // When output is null only the names are wanted.
    private static void Scan(string text, StringBuilder? output, Func<string, string?> onName)
    {
        var i = 0;
        while (i < text.Length)
        {
            var dollar = text.IndexOf('$', i);
            if (dollar < 0)
            {
                output?.Append(text, i, text.Length - i);
                return;
            }

            output?.Append(text, i, dollar - i);
            if (dollar + 2 < text.Length && text[dollar + 1] == '$' && text[dollar + 2] == '{'
                && TryReadName(text, dollar + 2, out _, out var escapedEnd))
            {
                // $${NAME} → ${NAME}, not a placeholder.
                output?.Append(text, dollar + 1, escapedEnd - (dollar + 1));
                i = escapedEnd;
            }
            else if (dollar + 1 < text.Length && text[dollar + 1] == '{' && TryReadName(text, dollar + 1, out var name, out var end))
            {
                var replacement = onName(name);
                output?.Append(replacement ?? text[dollar..end]);
                i = end;
            }
            else
            {
                output?.Append('$');
                i = dollar + 1;
            }
        }
    }

    // At text[brace] == '{': reads "{NAME}" and returns the index after '}'.
    private static bool TryReadName(string text, int brace, out string name, out int end)
    {
        name = "";
        end = 0;
        var close = text.IndexOf('}', brace + 1);
        if (close < 0 || !ValueReference.IsValidName(text.AsSpan(brace + 1, close - brace - 1)))
        {
            return false;
        }

        name = text.Substring(brace + 1, close - brace - 1);
        end = close + 1;
        return true;
    }
}
