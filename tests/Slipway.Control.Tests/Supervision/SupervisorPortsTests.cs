using System.Globalization;
using Slipway.Core.Primitives;
using Slipway.Testing;

namespace Slipway.Control.Tests.Supervision;

/// <summary>
/// The ports instances are told (<c>${PORT}</c>) come from below the kernel's ephemeral range, where no outgoing
/// connection's source port can take one between its choice and the instance's bind.
/// </summary>
public sealed class SupervisorPortsTests
{
    [Fact]
    public async Task Start_InstancesAndStatefulService_PortsOutsideTheKernelsEphemeralRange()
    {
        await using var f = new SupervisorFixture("""
            app: t
            services:
              api:
                replicas: 3
                run: { command: sleep, args: ["30"] }
                stop: { gracePeriod: 1s }
              store:
                stateful: true
                run: { command: sleep, args: ["30"] }
                stop: { gracePeriod: 1s }
            """);
        await f.Supervisor.StartAsync();

        await Wait.UntilAsync(() => f.Supervisor.Instances().Count(i => i.Pid is not null) == 4, "four running instances");

        var (low, high) = KernelRange();
        var ports = f.Supervisor.Instances().Select(i => i.Port).ToList();
        Assert.Equal(4, ports.Distinct().Count());
        Assert.Contains(f.Supervisor.StatefulPortOf("store")!.Value, ports);
        Assert.All(ports, port =>
        {
            Assert.True(port < low || port > high, $"port {port} is inside the kernel's ephemeral range {low}-{high}");
            Assert.InRange(port, LoopbackPorts.DefaultFirst, LoopbackPorts.DefaultLast);
        });
    }

    private static (int Low, int High) KernelRange()
    {
        var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split(['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
