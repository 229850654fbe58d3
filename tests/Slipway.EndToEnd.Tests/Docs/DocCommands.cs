using System.Text.RegularExpressions;
using Slipway.Core.Manifest.Model;

namespace Slipway.EndToEnd.Tests.Docs;

/// <summary>Reads the `slipway` command lines out of a Markdown document's fenced code blocks (those without a language).</summary>
internal static partial class DocCommands
{
    /// <summary>What a placeholder in an optional group stands for when the full form is checked.</summary>
    private static readonly Dictionary<string, string> Placeholders = new(StringComparer.Ordinal)
    {
        ["SERVICE"] = "api", ["S"] = "api", ["R"] = "1", ["I"] = "api-1-0", ["N"] = "10", ["FILE"] = "page.html",
        ["DIR"] = "state", ["ID"] = "main-db-20260105T020000Z", ["V"] = "2",
    };

    public static IReadOnlyList<DocCommand> Read(string path, string name)
    {
        var commands = new List<DocCommand>();
        var inBlock = false;
        var plain = false;
        string? pending = null;
        foreach (var raw in File.ReadLines(path))
        {
            if (raw.StartsWith("```", StringComparison.Ordinal))
            {
                Flush(ref pending, commands, name);
                plain = !inBlock && raw.Trim() == "```";
                inBlock = !inBlock;
                continue;
            }

            if (!inBlock || !plain)
            {
                continue;
            }

            var line = StripComment(raw);
            if (pending is not null && raw.StartsWith(' ') && line.TrimStart().StartsWith('['))
            {
                pending += " " + line.Trim(); // a synopsis continued on the next line
                continue;
            }

            Flush(ref pending, commands, name);
            if (IsCommand(line))
            {
                pending = line.Trim();
            }
        }

        Flush(ref pending, commands, name);
        return commands;
    }

    private static bool IsCommand(string line) =>
        line.StartsWith("slipway ", StringComparison.Ordinal) || line.StartsWith("./slipway.sh ", StringComparison.Ordinal) || line.Contains("| slipway ", StringComparison.Ordinal);

    private static void Flush(ref string? pending, List<DocCommand> commands, string name)
    {
        if (pending is null)
        {
            return;
        }

        // "a && b" and "slipway pause api / slipway resume api" are two commands each.
        foreach (var part in pending.Split([" && ", " / "], StringSplitOptions.TrimEntries))
        {
            string? input = null;
            var command = part;
            if (PipedInput().Match(part) is { Success: true } piped)
            {
                input = "from-stdin-" + piped.Groups["var"].Value.ToLowerInvariant();
                command = "slipway " + piped.Groups["command"].Value;
            }

            var words = Split(command);
            var args = words.Skip(1).ToList(); // slipway or ./slipway.sh
            commands.Add(new DocCommand(name, part, Expand(args, full: true), Expand(args, full: false), input));
        }

        pending = null;
    }

    /// <summary>Optional [groups] kept (full: the first alternative, placeholders filled) or left out.</summary>
    private static List<string> Expand(List<string> words, bool full)
    {
        var result = new List<string>();
        var depth = 0;
        var alternativeTaken = false;
        foreach (var word in words)
        {
            var opens = word.StartsWith('[');
            var text = word.TrimStart('[').TrimEnd(']');
            var closes = word.EndsWith(']');
            if (opens)
            {
                depth++;
                alternativeTaken = false;
            }

            if (depth == 0)
            {
                result.Add(word);
            }
            else if (full && !alternativeTaken)
            {
                if (text == "|")
                {
                    alternativeTaken = true;
                }
                else
                {
                    // "table|json", "error|warn|info|debug", "10m|ISO-8601": the first choice.
                    var choice = text.Split('|')[0];
                    result.Add(Placeholders.GetValueOrDefault(choice, choice));
                }
            }

            if (closes && depth > 0)
            {
                depth--;
            }
        }

        return result;
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf(" #", StringComparison.Ordinal);
        return (hash < 0 ? line : line[..hash]).TrimEnd();
    }

    /// <summary>Words as a POSIX shell splits them (quotes group and are removed), as the manifest's <c>run</c> lines are.</summary>
    private static List<string> Split(string command) =>
        CommandLineSplitter.TrySplit(command, out var words, out var error) ? words : throw new InvalidOperationException($"{command}: {error}");

    [GeneratedRegex("""^printf %s "\$(?<var>\w+)" \| slipway (?<command>.+)$""")]
    private static partial Regex PipedInput();
}
