using System.Net;
using System.Net.Sockets;

namespace Slipway.Testing.Tests;

public sealed class FreePortTests
{
    [Fact]
    public void Next_ReturnsPortThatCanBeBoundOnLoopback()
    {
        var port = FreePort.Next();

        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    /// <summary>
    /// Never a port of the kernel's ephemeral range (what binding port 0 is given), and never one twice in a row of
    /// calls: a port handed out and not yet bound cannot be handed to another server of this process or to a port-0 bind.
    /// </summary>
    [Fact]
    public void Next_CalledRepeatedly_DistinctPortsBelowTheEphemeralRange()
    {
        var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var ephemeral = (First: int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture), Last: int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture));

        var ports = Enumerable.Range(0, 200).Select(_ => FreePort.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, p => Assert.True(p is >= 1024 && (p < ephemeral.First || p > ephemeral.Last), $"{p} is in the ephemeral range {ephemeral}"));
    }

    [Fact]
    public void Next_APortBoundByAnother_IsSkipped()
    {
        // Listen on the next ports this process would hand out, then ask: none of them comes back.
        var taken = new List<Socket>();
        try
        {
            var probe = FreePort.Next();
            for (var port = probe + 1; port <= Math.Min(probe + 5, 32767); port++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                socket.Listen();
                taken.Add(socket);
            }

            var next = FreePort.Next();

            Assert.DoesNotContain(next, taken.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port));
        }
        finally
        {
            taken.ForEach(s => s.Dispose());
        }
    }
}
