namespace Slipway.Core.Manifest.Model;

/// <summary>The names the manifest gives to things: services, backups, receivers, versions.</summary>
internal static class RevisionNames
{
    /// <summary>A DNS label (what Kubernetes requires of a name): a-z, 0-9 and '-', at most 63.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 63 || !char.IsAsciiLetterLower(name[0]) || name[^1] == '-')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What <see cref="IsValidVersion"/> accepts, in the words every refusal uses.</summary>
    public const string VersionRule = "letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters";

    /// <summary>
    /// A version fills <c>${VERSION}</c> in commands and paths, so it must be one harmless path segment and never
    /// read as an option: <c>.</c>, <c>..</c> and anything starting with <c>-</c> (or another non-alphanumeric) are refused.
    /// </summary>
    public static bool IsValidVersion(string version)
    {
        if (version.Length is 0 or > 64 || !char.IsAsciiLetterOrDigit(version[0]))
        {
            return false;
        }

        foreach (var c in version)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
