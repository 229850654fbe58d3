using Slipway.Control.State;
using Slipway.Core.Processes;
using Slipway.Testing;

namespace Slipway.Control.Tests.Supervision;

/// <summary>The state directory's disk fills up: supervision goes on, loses no process, and a scale is refused whole.</summary>
public sealed class SupervisorDiskFullTests
{
    [Fact]
    public async Task Restart_StoreCannotRecordTheInstance_KeepsSupervisingItAndStartsNoSecond()
    {
        var marker = "slipway-disk-full-" + Guid.NewGuid().ToString("N");
        await using (var f = new SupervisorFixture($$"""
            app: t
            services:
              api:
                run: { command: sh, args: ["-c", "sleep 600; true", "{{marker}}"] }
                restart: { backoff: 100ms }
            """, smallDisk: true))
        {
            await f.Supervisor.StartAsync();
            await Wait.UntilAsync(() => f.Of("started").Any(), "the instance to start");
            f.Disk.Fill();

            // Its process dies; the restart cannot be recorded in the full store.
            NativeMethods.kill(-Assert.Single(f.Supervisor.Instances()).Pid!.Value, Signals.Kill);
            await Wait.UntilAsync(() => f.Of("started").Count() >= 2, "the restart");
            await Task.Delay(TimeSpan.FromSeconds(3)); // a failed run used to start over every second, leaking a process each time

            Assert.Empty(f.Of("error"));
            Assert.Single(Running(marker));
            Assert.Equal(Running(marker).Single(), Assert.Single(f.Supervisor.Instances()).Pid);

            // Room again: the row a full disk kept back is written, so a later daemon could adopt the instance.
            f.Disk.Free();
            await Wait.UntilAsync(() => f.Store.Instances(activeOnly: true).Any(i => i.Pid == Running(marker).Single()), "the instance's row to be written");
        }

        Assert.Empty(Running(marker));
    }

    [Fact]
    public async Task Scale_DiskFull_ThrowsAndNeitherStartsNorStopsNorSaves()
    {
        var marker = "slipway-disk-full-" + Guid.NewGuid().ToString("N");
        await using (var f = new SupervisorFixture($$"""
            app: t
            services:
              api:
                run: { command: sh, args: ["-c", "sleep 600; true", "{{marker}}"] }
                replicas: 2
            """, smallDisk: true))
        {
            await f.Supervisor.StartAsync();
            await Wait.UntilAsync(() => f.Store.Instances(activeOnly: true).Count == 2, "two recorded instances");
            f.Disk.Fill();

            await Assert.ThrowsAsync<DiskFullException>(() => f.Supervisor.ScaleAsync("api", 3));
            await Assert.ThrowsAsync<DiskFullException>(() => f.Supervisor.ScaleAsync("api", 0));

            Assert.Equal(2, f.Supervisor.Instances().Count);
            Assert.Equal(2, Running(marker).Count);
            Assert.Equal(2, f.Store.DesiredReplicas("api").GetValueOrDefault("1", 2));
            Assert.Empty(f.Of("scaled"));
        }

        Assert.Empty(Running(marker));
    }

    [Fact]
    public async Task Scale_ToZero_IsKeptForTheNextStart()
    {
        var marker = "slipway-scale-zero-" + Guid.NewGuid().ToString("N");
        await using var f = new SupervisorFixture($$"""
            app: t
            services:
              api:
                run: { command: sh, args: ["-c", "sleep 600; true", "{{marker}}"] }
                replicas: 2
            """);
        await f.Supervisor.StartAsync();
        await f.Supervisor.ScaleAsync("api", 0);
        await f.Supervisor.StopAsync();

        await using var restarted = f.Restarted();
        await restarted.StartAsync();

        Assert.Empty(restarted.Instances());
        Assert.Empty(Running(marker));
    }

    /// <summary>Pids of processes carrying <paramref name="marker"/> in their command line (the test's own instances).</summary>
    private static List<int> Running(string marker) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid).Contains(marker, StringComparison.Ordinal))];

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
