using System.Diagnostics;

namespace Slipway.Testing;

/// <summary>Tools from Debian packages the tests need. A missing tool fails the test with what to install; it never skips.</summary>
public static class ExternalTool
{
    /// <summary>The full path of <paramref name="command"/> on PATH; when it is missing, an exception (a failed test) naming the package.</summary>
    public static string Require(string command, string package)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command)).FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException($"{command} is not installed: apt-get install -y {package} (./test.sh installs it)");
    }

    /// <summary>Runs a tool to completion (bounded) with <paramref name="stdin"/> as its input; returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string path, IEnumerable<string> args, string stdin = "", int seconds = 60)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
