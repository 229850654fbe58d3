using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Slipway.Core.Primitives;
using Slipway.Testing;

namespace Slipway.Core.Tests.Primitives;

public sealed class LoopbackPortsTests
{
    private const string KernelRangePath = "/proc/sys/net/ipv4/ip_local_port_range";

    [Fact]
    public void Instances_KernelRangeOfThisMachine_NeverInsideItAndBelowTheTestsPorts()
    {
        var (low, high) = KernelRange();
        for (var i = 0; i < 200; i++)
        {
            var port = LoopbackPorts.Instances.Next();
            Assert.True(port < low || port > high, $"port {port} is inside the kernel's ephemeral range {low}-{high}");
            Assert.InRange(port, LoopbackPorts.DefaultFirst, LoopbackPorts.DefaultLast);
        }
    }

    [Fact]
    public void Next_KernelRangeCoversPartOfTheRange_OnlyThePartOutsideItEachPortOncePerPass()
    {
        // A kernel range of 18000-60999 leaves 15000-17999 of the default range: within one pass no port comes twice.
        // A third of a pass: other processes on the machine (test daemons' instances, in a full run) hold some of the
        // 3,000 ports, which are skipped, so a whole pass's worth of calls wraps round onto ports handed out already.
        var ports = new LoopbackPorts(LoopbackPorts.DefaultFirst, LoopbackPorts.DefaultLast, () => "18000\t60999\n", 16500);

        var handedOut = Enumerable.Range(0, 1000).Select(_ => ports.Next()).ToList();

        Assert.All(handedOut, port => Assert.InRange(port, 15000, 17999));
        Assert.Equal(handedOut.Count, handedOut.Distinct().Count());
    }

    [Fact]
    public void Next_PortBoundBySomeone_Skipped()
    {
        var (held, free) = TwoAdjacentFreePorts();
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, held));
        var ports = new LoopbackPorts(Math.Min(held, free), Math.Max(held, free), () => null, held);

        Assert.Equal(free, ports.Next());
        Assert.Equal(free, ports.Next());
    }

    [Fact]
    public void Next_PortListenedOn_Skipped()
    {
        var (held, free) = TwoAdjacentFreePorts();
        var listener = new TcpListener(IPAddress.Loopback, held);
        listener.Start();
        try
        {
            var ports = new LoopbackPorts(Math.Min(held, free), Math.Max(held, free), () => null, held);

            Assert.Equal(free, ports.Next());
        }
        finally
        {
            listener.Stop();
        }
    }

    [Theory]
    [InlineData("1024\t65535\n")]
    [InlineData("15000 22999")]
    [InlineData("10000\t30000")]
    public void Next_KernelRangeCoversTheWholeRange_FallsBackToPortZero(string kernelRange)
    {
        var ports = new LoopbackPorts(LoopbackPorts.DefaultFirst, LoopbackPorts.DefaultLast, () => kernelRange, LoopbackPorts.DefaultFirst);

        // Port 0 is bound for real, so the port comes from this machine's actual ephemeral range.
        var (low, high) = KernelRange();
        var port = ports.Next();
        Assert.InRange(port, low, high);
    }

    [Fact]
    public void Next_EveryPortTaken_FallsBackToPortZero()
    {
        var (held, _) = TwoAdjacentFreePorts();
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, held));
        var ports = new LoopbackPorts(held, held, () => null, held);

        var (low, high) = KernelRange();
        Assert.InRange(ports.Next(), low, high);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("40000")]
    [InlineData("60999\t32768")]
    public void Next_KernelRangeUnknown_ExcludesNothing(string? kernelRange)
    {
        var free = FreePort.Next();
        var ports = new LoopbackPorts(free, free, () => kernelRange, free);

        Assert.Equal(free, ports.Next());
    }

    private static (int Low, int High) KernelRange()
    {
        var parts = File.ReadAllText(KernelRangePath).Split(['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Two neighbouring ports nothing holds right now, outside the ephemeral range (from FreePort's).</summary>
    private static (int First, int Second) TwoAdjacentFreePorts()
    {
        for (var tries = 0; tries < 100; tries++)
        {
            var port = FreePort.Next();
            if (port < 32767 && CanBind(port + 1))
            {
                return (port, port + 1);
            }
        }

        throw new InvalidOperationException("no two adjacent free ports on 127.0.0.1");
    }

    private static bool CanBind(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
