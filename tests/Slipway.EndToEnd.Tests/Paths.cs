using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>Build outputs in the configuration the tests were built in.</summary>
internal static class Paths
{
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";

    /// <summary><c>Built("src", "Slipway.Cli", "slipway.dll")</c> → src/Slipway.Cli/bin/Release/net10.0/slipway.dll</summary>
    public static string Built(string root, string project, string file)
    {
        var path = RepositoryRoot.File(root, project, "bin", Configuration, "net10.0", file);
        Assert.True(File.Exists(path), $"{path} is not built; build the solution first");
        return path;
    }
}
