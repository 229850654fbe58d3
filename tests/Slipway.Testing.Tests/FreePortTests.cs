using System.Net;
using System.Net.Sockets;

namespace Slipway.Testing.Tests;

public sealed class FreePortTests
{
    [Fact]
    public void Next_ReturnsPortThatCanBeBoundOnLoopback()
    {
        var port = FreePort.Next();

        Assert.InRange(port, 1, 65535);
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public void Next_CalledRepeatedly_ReturnsValidPorts()
    {
        var ports = Enumerable.Range(0, 20).Select(_ => FreePort.Next()).ToList();

        Assert.All(ports, p => Assert.InRange(p, 1, 65535));
        Assert.True(ports.Distinct().Count() > 1, "the OS handed out one port every time");
    }
}
