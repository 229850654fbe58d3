namespace Slipway.Control.Tests;

/// <summary>Bounded waiting on real processes: polls a condition until it holds or the timeout fails the test.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string what, int seconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"timed out after {seconds}s waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The demo app built in the same configuration as the tests.</summary>
    public static string DemoApp()
    {
        var configuration = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Slipway.Testing.RepositoryRoot.File("examples", "demo-app", "bin", configuration, "net10.0", "demo-app.dll");
        Assert.True(File.Exists(path), $"the demo app is not built at {path}; build the solution first");
        return path;
    }
}
