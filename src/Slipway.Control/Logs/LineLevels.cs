namespace Slipway.Control.Logs;

/// <summary>
/// The level of a line from the names loggers use: <c>trace</c>/<c>debug</c>, <c>info</c>/<c>notice</c>,
/// <c>warn</c>/<c>warning</c>, <c>error</c>/<c>fatal</c>/<c>critical</c>/<c>panic</c>, pino's numbers (10–60),
/// and for plain text a leading <c>ERROR</c>, <c>[error]</c>, <c>error:</c> or <c>level=error</c>.
/// </summary>
internal static class LineLevels
{
    /// <summary>Plain text: only the first few words are looked at, so "retrying after error" stays info.</summary>
    private const int PrefixWords = 4;

    public static IReadOnlyList<string> Names { get; } = ["debug", "info", "warn", "error"];

    public static string Name(LineLevel level) => Names[(int)level];

    /// <summary>A level name as the user or a logger writes it, any case; null when it is not one.</summary>
    public static LineLevel? FromName(ReadOnlySpan<char> name) => name.ToString().ToLowerInvariant() switch
    {
        "trace" or "debug" or "dbug" or "verbose" or "vrb" or "dbg" or "trc" => LineLevel.Debug,
        "info" or "information" or "notice" or "inf" => LineLevel.Info,
        "warn" or "warning" or "wrn" => LineLevel.Warn,
        "error" or "err" or "eror" or "fatal" or "critical" or "crit" or "panic" or "alert" or "emerg" or "emergency" or "ftl" or "fail" => LineLevel.Error,
        _ => null,
    };

    /// <summary>pino and bunyan write numbers: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.</summary>
    public static LineLevel FromNumber(double number) => number switch
    {
        < 30 => LineLevel.Debug,
        < 40 => LineLevel.Info,
        < 50 => LineLevel.Warn,
        _ => LineLevel.Error,
    };

    /// <summary>
    /// The level a plain line announces in its first words: an upper-case name (<c>ERROR</c>, <c>WARN</c>) or a
    /// marked one in any case (<c>[error]</c>, <c>&lt;warn&gt;</c>, <c>error:</c>, <c>level=error</c>). Null when none.
    /// </summary>
    public static LineLevel? FromPlainText(string text)
    {
        var words = 0;
        var i = 0;
        while (i < text.Length && words < PrefixWords)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i > start && FromWord(text.AsSpan(start, i - start)) is { } level)
            {
                return level;
            }

            words++;
        }

        return null;
    }

    private static LineLevel? FromWord(ReadOnlySpan<char> word)
    {
        var marked = false;
        if (word.StartsWith("level=", StringComparison.OrdinalIgnoreCase))
        {
            word = word["level=".Length..].Trim('"');
            marked = true;
        }

        var trimmed = word.Trim("[]<>():|");
        marked |= trimmed.Length != word.Length;
        if (trimmed.IsEmpty || FromName(trimmed) is not { } level)
        {
            return null;
        }

        var upper = true;
        foreach (var c in trimmed)
        {
            upper &= !char.IsLower(c);
        }

        return marked || upper ? level : null;
    }
}
