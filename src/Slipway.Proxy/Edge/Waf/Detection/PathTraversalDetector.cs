using System.Buffers;

namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>
/// Path traversal after every decoding (so %2e%2e%2f, %c0%ae, ..%u2215 and ＼ all read as
/// '../' or '..\'): a '..' segment, or a path naming a well-known system or secret file. File
/// names with dots ("report.v2..final.pdf", "..gitignore") and ellipses are not segments.
/// </summary>
internal static class PathTraversalDetector
{
    /// <summary>Every rule needs one of these: a dot of '..' or a name, a separator, a scheme's ':', the '_' of id_rsa.</summary>
    public const string SyntaxChars = "./\\:_";

    private static readonly SearchValues<char> Syntax = SearchValues.Create(SyntaxChars);

    /// <summary>Paths whose only business in a request parameter is being read by an attacker.</summary>
    private static readonly SearchValues<string> SensitiveFiles = SearchValues.Create(
        [
            "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/hosts", "/etc/issue", "/etc/sudoers", "/etc/master.passwd",
            "/proc/self/", "/proc/version", "/proc/1/", "/windows/system32", "\\windows\\system32", "/win.ini", "\\win.ini",
            "/boot.ini", "\\boot.ini", "/system.ini", "\\system.ini", "/.ssh/", "\\.ssh\\", "id_rsa", "id_ed25519",
            "authorized_keys", ".bash_history", ".htpasswd", "web-inf/web.xml", "web-inf\\web.xml", "/var/run/secrets/",
            "php://", "phar://", "zip://", "expect://",
        ],
        StringComparison.Ordinal);

    public static bool Detect(ReadOnlySpan<char> text, ulong enabled, out WafRuleId rule, out int at)
    {
        rule = default;
        at = 0;
        if (!text.ContainsAny(Syntax))
        {
            return false;
        }

        if ((enabled & WafRules.Get(WafRuleId.TraversalDotDot).Bit) != 0 && FindDotDotSegment(text, out at))
        {
            rule = WafRuleId.TraversalDotDot;
            return true;
        }

        at = (enabled & WafRules.Get(WafRuleId.TraversalSensitiveFile).Bit) != 0 ? text.IndexOfAny(SensitiveFiles) : -1;
        if (at >= 0)
        {
            rule = WafRuleId.TraversalSensitiveFile;
            return true;
        }

        at = 0;
        return false;
    }

    /// <summary>
    /// '..' between separators (or the value's ends), '..;/' (a path parameter Tomcat drops), and
    /// runs of more dots before a separator ('....//' becomes '../' when a filter strips '../' once).
    /// </summary>
    private static bool FindDotDotSegment(ReadOnlySpan<char> text, out int at)
    {
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOf("..", StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            var start = from + found;
            var end = start + 2;
            while (end < text.Length && text[end] == '.')
            {
                end++;
            }

            from = end;
            at = start;
            // "../ in urls" is prose: a path goes on with a name after the separator, not a space.
            var separatorAfter = end < text.Length
                && (IsSeparator(text[end]) || (text[end] == ';' && IsPathParameter(text[(end + 1)..])))
                && !(end + 1 < text.Length && text[end + 1] is ' ' or '\n');
            var separatorBefore = start == 0 || IsSeparator(text[start - 1]);
            if (separatorBefore && (separatorAfter || (end - start == 2 && end == text.Length)))
            {
                return true;
            }
        }

        at = 0;
        return false;
    }

    /// <summary>';jsessionid=…/' after a '..': a path parameter, ending at the next separator within a segment's length.</summary>
    private static bool IsPathParameter(ReadOnlySpan<char> rest) =>
        rest[..Math.Min(rest.Length, 64)].IndexOfAny('/', '\\') >= 0;

    private static bool IsSeparator(char c) => c is '/' or '\\';
}
