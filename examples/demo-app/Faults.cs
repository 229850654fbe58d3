using System.Diagnostics;

namespace Slipway.DemoApp;

/// <summary>The process-level misbehaviours: held memory, a stray child process, a crash.</summary>
internal static class Faults
{
    private const int Megabyte = 1024 * 1024;

    // Held for the life of the process; a static root keeps the GC from reclaiming it.
    private static byte[][]? _ballast;

    private static readonly Lock BallastLock = new();

    /// <summary>Allocates <paramref name="megabytes"/> MiB more and writes every page so it counts in RSS; held until exit.</summary>
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

        lock (BallastLock)
        {
            _ballast = [.. _ballast ?? [], .. ballast];
        }
    }

    public static long HeldBytes => (long)(_ballast?.Length ?? 0) * Megabyte;

    /// <summary>Starts <paramref name="cores"/> background threads that spin until the process exits.</summary>
    public static void BurnCores(int cores)
    {
        for (var i = 0; i < cores; i++)
        {
            new Thread(Spin) { IsBackground = true, Name = $"burn-{i}" }.Start();
        }

        static void Spin()
        {
            var x = 1.0;
            while (true)
            {
                for (var i = 0; i < 10_000; i++)
                {
                    x = Math.Sqrt(x + i);
                }

                Volatile.Write(ref _spun, x);
            }
        }
    }

    // Where the spinning threads write, so the loop is not optimised away.
    private static double _spun;

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
