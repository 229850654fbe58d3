using System.Net;
using System.Net.Sockets;
using System.Text;
using Slipway.Proxy.Tests.Support;
using Xunit.Abstractions;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>What a forwarded request costs the process in garbage, in steady state on a keep-alive connection.</summary>
[Collection(RunsAlone.Name)]
public sealed class FastPathAllocationTests(ITestOutputHelper output)
{
    private const int Warmup = 2_000;
    private const int Measured = 5_000;
    private const int Windows = 3;

    [Fact]
    public async Task Get_SteadyState_AllocatesAFractionOfTheGeneralPath()
    {
        using var backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        backend.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        backend.Listen();
        using var stop = new CancellationTokenSource();
        var serving = ServeAsync(backend, stop.Token);
        var port = ((IPEndPoint)backend.LocalEndPoint!).Port;
        await using var proxy = new ProxyServer(new ProxyServerOptions { Listen = ["http://127.0.0.1:0"] });
        proxy.Publisher.Publish(Single("api", null, null, Endpoint("lean", port)));
        await proxy.StartAsync();

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(proxy.EdgeEndpoints[0]);
        var request = Encoding.ASCII.GetBytes("GET /plain HTTP/1.1\r\nHost: bench\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n");
        var buffer = new byte[4096];

        await RunAsync(client, request, buffer, Warmup);

        // The counter is process-wide, and what earlier test classes left running (a server still stopping, their timers)
        // lands in some windows (405 B once in a whole-suite run): the least of three windows is the steady state.
        var perRequest = double.MaxValue;
        for (var window = 0; window < Windows; window++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await RunAsync(client, request, buffer, Measured);
            perRequest = Math.Min(perRequest, (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Measured);
        }

        output.WriteLine($"{perRequest:F1} bytes allocated per forwarded request (process-wide, the test's own client and backend included; least of {Windows} windows)");

        await stop.CancelAsync();
        Assert.Equal(Warmup + (Windows * Measured), proxy.Counters.FastPath);
        // Measured 60-90 B here over 5,000 requests (process-wide: the test's client and backend, timers, whatever else
        // the runtime does; ~27 B over 100,000); the general path allocates ~2,300 B per request. Zero is the target, not
        // reached yet: what is left is pooled async state machines that miss their pool (see the Proxy README).
        Assert.True(perRequest < 400, $"{perRequest:F1} B per request");
        backend.Close();
        await serving;
    }

    /// <remarks>
    /// Many connections waiting on their backends at once: a state machine of its own per request (or per try) is
    /// pooled per thread and per core, far fewer slots than requests in flight, so nearly every request allocated one
    /// (~420 B per request under wrk at 64 connections). The request runs in the connection's own state machine.
    /// </remarks>
    [Fact]
    public async Task Get_ManyConnectionsAtOnce_AllocatesNoStateMachinePerRequest()
    {
        const int connections = 32;
        const int perConnection = 300;
        using var backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        backend.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        backend.Listen();
        using var stop = new CancellationTokenSource();
        var serving = ServeAsync(backend, stop.Token);
        var port = ((IPEndPoint)backend.LocalEndPoint!).Port;
        await using var proxy = new ProxyServer(new ProxyServerOptions { Listen = ["http://127.0.0.1:0"] });
        proxy.Publisher.Publish(Single("api", null, null, Endpoint("lean", port)));
        await proxy.StartAsync();

        var clients = new Socket[connections];
        var buffers = new byte[connections][];
        for (var i = 0; i < connections; i++)
        {
            clients[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await clients[i].ConnectAsync(proxy.EdgeEndpoints[0]);
            buffers[i] = new byte[4096];
        }

        var request = Encoding.ASCII.GetBytes("GET /plain HTTP/1.1\r\nHost: bench\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n");
        var tasks = new Task[connections];
        var perRequest = double.MaxValue;
        for (var window = -1; window < Windows; window++)
        {
            // Window -1 warms up (the backend connections, the pools, tiered JIT).
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < connections; i++)
            {
                tasks[i] = RunAsync(clients[i], request, buffers[i], perConnection);
            }

            await Task.WhenAll(tasks);
            if (window >= 0)
            {
                perRequest = Math.Min(perRequest, (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)(connections * perConnection));
            }
        }

        output.WriteLine($"{perRequest:F1} bytes allocated per forwarded request over {connections} connections at once (least of {Windows} windows)");
        await stop.CancelAsync();
        foreach (var client in clients)
        {
            client.Dispose();
        }

        Assert.Equal((Windows + 1) * connections * perConnection, proxy.Counters.FastPath);
        // Measured before the request ran inline: 400-500 B (two state-machine boxes). The test's own client and
        // backend tasks count too (once per connection, not per request).
        Assert.True(perRequest < 150, $"{perRequest:F1} B per request");
        backend.Close();
        await serving;
    }

    private static async Task RunAsync(Socket client, byte[] request, byte[] buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await client.SendAsync(request.AsMemory(), SocketFlags.None);
            var received = 0;
            while (received < 2 || buffer[received - 2] != 'o' || buffer[received - 1] != 'k')
            {
                var read = await client.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None);
                Assert.True(read > 0);
                received += read;
            }
        }
    }

    /// <summary>A backend that allocates nothing per request: every request head, on every connection, gets the same 200 "ok".</summary>
    private static async Task ServeAsync(Socket listener, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                connections.Add(ServeConnectionAsync(await listener.AcceptAsync(cancellationToken), cancellationToken));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test is over.
        }

        await Task.WhenAll(connections);
    }

    private static async Task ServeConnectionAsync(Socket connection, CancellationToken cancellationToken)
    {
        var answer = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok");
        using var _ = connection;
        try
        {
            var buffer = new byte[8192];
            var received = 0;
            while (true)
            {
                var read = await connection.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                received += read;
                if (buffer.AsSpan(0, received).EndsWith("\r\n\r\n"u8))
                {
                    received = 0;
                    await connection.SendAsync(answer.AsMemory(), SocketFlags.None, cancellationToken);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test is over.
        }
    }
}
