namespace Slipway.Server.Cost;

/// <summary>The bytes of every file under a directory, as far as it can be read; 0 when it does not exist.</summary>
internal static class DirectorySize
{
    public static long Of(string directory)
    {
        try
        {
            return Directory.Exists(directory)
                ? new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).Sum(f => f.Length)
                : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
