using System.Diagnostics;

namespace Slipway.DemoApp;

/// <summary>The process-level misbehaviours: held memory, a stray child process, a crash.</summary>
internal static class Faults
{
    private const int Megabyte = 1024 * 1024;

    // Held for the life of the process; a static root keeps the GC from reclaiming it.
    private static byte[][]? _ballast;

    /// <summary>Allocates <paramref name="megabytes"/> MiB and writes every page so it counts in RSS.</summary>
    public static void HoldMemory(int megabytes)
    {
        var ballast = new byte[megabytes][];
        for (var i = 0; i < megabytes; i++)
        {
            var chunk = new byte[Megabyte];
            for (var page = 0; page < chunk.Length; page += 4096)
            {
                chunk[page] = 1;
            }

            ballast[i] = chunk;
        }

        _ballast = ballast;
    }

    public static long HeldBytes => (long)(_ballast?.Length ?? 0) * Megabyte;

    /// <summary>
    /// Starts <c>sleep 100000</c> and deliberately never stops it: only a supervisor
    /// that kills the whole process tree gets rid of it. Its stdio is detached so it
    /// does not hold this process's stdout open after we exit.
    /// </summary>
    public static int SpawnChild()
    {
        var start = new ProcessStartInfo("sleep")
        {
            ArgumentList = { "100000" },
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var child = Process.Start(start) ?? throw new InvalidOperationException("could not start `sleep`");
        child.StandardInput.Close();
        child.StandardOutput.Close();
        child.StandardError.Close();
        return child.Id;
    }

    /// <summary>Exits with code 1 when <paramref name="after"/> has passed since start, without any cleanup.</summary>
    public static ITimer ScheduleCrash(TimeSpan after, Uptime uptime, JsonLog log) =>
        uptime.Clock.CreateTimer(
            _ =>
            {
                log.Error("crashing on purpose", ("afterMs", after));
                Environment.Exit(1);
            },
            state: null,
            dueTime: uptime.Until(after),
            period: Timeout.InfiniteTimeSpan);
}
