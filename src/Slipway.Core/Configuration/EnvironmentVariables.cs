namespace Slipway.Core.Configuration;

/// <summary>
/// The one place Slipway reads its own process environment (BannedSymbols.txt bans the direct calls everywhere
/// else). Code that needs a variable takes a <c>Func&lt;string, string?&gt;</c> and the daemon or the CLI hands it
/// <see cref="Get"/>, so a test hands it a dictionary instead.
/// </summary>
internal static class EnvironmentVariables
{
    /// <summary>The variable's value, or null when it is not set.</summary>
    public static string? Get(string name) =>
#pragma warning disable RS0030 // this is the seam the ban points to
        Environment.GetEnvironmentVariable(name);
#pragma warning restore RS0030

    /// <summary>Every variable, as a child would inherit it.</summary>
    public static Dictionary<string, string> All()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
#pragma warning disable RS0030 // this is the seam the ban points to
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
#pragma warning restore RS0030
        {
            result[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        return result;
    }
}
