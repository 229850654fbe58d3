namespace Slipway.Core.Manifest.Model;

internal static class EnvironmentNames
{
    /// <summary>POSIX-portable: letters, digits and underscore, not starting with a digit.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
