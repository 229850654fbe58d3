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

    /// <summary>What <see cref="IsValidVersion"/> accepts, as error messages say it.</summary>
    public const string VersionRule = "letters, digits, '.', '_' or '-', not starting with '.', at most 64 characters";

    /// <remarks>
    /// A version fills <c>${VERSION}</c> in paths (<c>releases/api/${VERSION}/Api.dll</c>) and a deployer may choose
    /// it: no '/', and no leading '.', so it names a directory and never <c>..</c>, the one above.
    /// </remarks>
    public static bool IsValidVersion(string version)
    {
        if (version.Length is 0 or > 64 || version[0] == '.')
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
