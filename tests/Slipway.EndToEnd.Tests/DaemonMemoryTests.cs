using System.Diagnostics;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// A daemon run by an ordinary user (nobody), as in production, and a service of that same user trying to read
/// the master key out of the daemon's /proc entry: the daemon is non-dumpable, so the kernel refuses.
/// </summary>
public sealed class DaemonMemoryTests : IDisposable
{
    private const int Nobody = 65534;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Up_AsAnOrdinaryUser_AServiceOfTheSameUserCannotReadTheDaemonsEnvironment()
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(_dir.Combine("slipway.yaml"), """
            app: memory
            proxy: { listen: ["http://127.0.0.1:0"] }
            services:
              snoop:
                run:
                  command: sh
                  args: ["-c", "cat /proc/$PPID/environ > parent.env 2> parent.err; echo $? > parent.rc; exec sleep 600"]
                stop: { drainTimeout: 0s, gracePeriod: 2s }
            """);
        Chown(_dir.Path);
        var daemon = new SlipwayProcess(_dir.Path, new SlipwayProcessOptions
        {
            User = Nobody,
            Environment = new Dictionary<string, string?> { ["SLIPWAY_MASTER_KEY"] = key, ["HOME"] = _dir.Path },
        }, "up", _dir.Combine("slipway.yaml"), "--state-dir", _dir.Combine("state"), "--api", "127.0.0.1:0");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (!File.Exists(_dir.Combine("parent.rc")) || (await File.ReadAllTextAsync(_dir.Combine("parent.rc"))).Length == 0)
            {
                Assert.False(timeout.IsCancellationRequested || daemon.HasExited, $"the service did not run:\n{daemon.Output}\n{daemon.Error}");
                await Task.Delay(100);
            }

            Assert.DoesNotContain(key, await File.ReadAllTextAsync(_dir.Combine("parent.env")), StringComparison.Ordinal);
            Assert.NotEqual("0", (await File.ReadAllTextAsync(_dir.Combine("parent.rc"))).Trim());
            Assert.Contains("Permission denied", await File.ReadAllTextAsync(_dir.Combine("parent.err")), StringComparison.Ordinal);
        }
        finally
        {
            await daemon.StopAsync();
            LeftoverInstances.Kill(_dir.Combine("state"));
        }
    }

    private static void Chown(string path)
    {
        using var chown = Process.Start("chown", ["-R", $"{Nobody}:{Nobody}", path]);
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }

    public void Dispose() => _dir.Dispose();
}
