using Slipway.Testing;

namespace Slipway.Control.Tests.Supervision;

/// <summary>The per-instance resource numbers <c>/metrics</c> exposes, sampled from /proc of a real process.</summary>
public sealed class InstanceResourcesTests
{
    [Fact]
    public async Task Snapshot_RunningInstance_ReportsCumulativeCpuSecondsAndMemory()
    {
        await using var f = new SupervisorFixture($$"""
            app: t
            services:
              api:
                run:
                  command: dotnet
                  args: ["{{BuildOutput.DemoApp}}"]
                routes: [ { path: / } ]
                health: { readiness: { http: /ready, period: 300ms, timeout: 300ms } }
                stop: { gracePeriod: 5s }
            """);
        await f.Supervisor.StartAsync();

        // A .NET process has spent CPU time by the time it answers /ready (start-up and JIT).
        await Wait.UntilAsync(() => f.Supervisor.Instances() is [{ Ready: true, CpuSeconds: > 0, ResidentBytes: > 0 }], "a ready instance with CPU time and memory sampled", seconds: 30);
        var first = f.Supervisor.Instances()[0].CpuSeconds;
        await Wait.UntilAsync(() => f.Supervisor.Instances()[0].CpuSeconds != first, "a later sample", seconds: 30);

        Assert.True(f.Supervisor.Instances()[0].CpuSeconds > first, "CPU seconds only grow while the process lives");
    }
}
