namespace Slipway.Testing;

/// <summary>Files the solution build wrote, in the configuration these tests were built in (the demo app, the CLI).</summary>
public static class BuildOutput
{
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";

    /// <summary>The demo app every service in the tests is played by: examples/demo-app's demo-app.dll.</summary>
    public static string DemoApp => File("examples", "demo-app", "demo-app.dll");

    /// <summary><c>File("src", "Slipway.Cli", "slipway.dll")</c> → src/Slipway.Cli/bin/Release/net10.0/slipway.dll.</summary>
    /// <exception cref="FileNotFoundException">It is not built: the test fails saying so.</exception>
    public static string File(string root, string project, string file)
    {
        var path = RepositoryRoot.File(root, project, "bin", Configuration, "net10.0", file);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built; build Slipway.slnx first", path);
    }
}
