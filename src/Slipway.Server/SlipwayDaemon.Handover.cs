using System.Net;
using System.Net.Sockets;
using Slipway.Proxy;
using Slipway.Server.Listeners;

namespace Slipway.Server;

/// <summary>The running daemon's side of a hand-over to a successor (<see cref="Handover"/>).</summary>
internal sealed partial class SlipwayDaemon
{
    /// <summary>How long the old daemon waits for the successor to serve, and then for its own connections to end.</summary>
    public static readonly TimeSpan HandoverLimit = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan HandoverDrainLimit = TimeSpan.FromSeconds(30);

    /// <summary>Completes with a successor's connection once one asks to take over (and stops the daemon's loops then).</summary>
    private static async Task<Socket?> WatchForSuccessorAsync(Socket handover, CancellationTokenSource stopping)
    {
        try
        {
            var successor = await Handover.AcceptRequestAsync(handover, stopping.Token).ConfigureAwait(false);
            await stopping.CancelAsync().ConfigureAwait(false);
            return successor;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Sends the listeners (the control plane has let go of everything by now), and once the successor serves,
    /// stops accepting, asks every connection to close after its answer, and lets them finish.
    /// </summary>
    private async Task<int> HandOverAsync(Socket successor, DaemonListeners listeners, ProxyServer? proxy, IEnumerable<int> kestrelFds,
        TextWriter output, Lock outputLock, CancellationToken shutdown)
    {
        using (successor)
        {
            var serving = await Handover.SendAsync(successor, listeners, HandoverLimit).ConfigureAwait(false);
            if (!serving)
            {
                lock (outputLock)
                {
                    output.WriteLine("slipway: the new daemon did not take over; this one answers from its last routing table, without supervision, until it is stopped (start a new daemon with --takeover, or stop this one and run `slipway up`)");
                    output.Flush();
                }

                await Task.Delay(Timeout.InfiniteTimeSpan, _time, shutdown).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (proxy is not null)
                {
                    await proxy.StopAsync(CancellationToken.None).ConfigureAwait(false);
                }

                return 1;
            }
        }

        if (proxy is not null)
        {
            StopAccepting(kestrelFds);
            proxy.BeginClosing();
            var started = _time.GetTimestamp();
            while (proxy.OpenConnections > 0 && _time.GetElapsedTime(started) < HandoverDrainLimit)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, CancellationToken.None).ConfigureAwait(false);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            await proxy.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        lock (outputLock)
        {
            output.WriteLine("slipway: handed over: the new daemon serves and supervises; this one exits");
            output.Flush();
        }

        return 0;
    }

    /// <summary>
    /// Kestrel stops accepting on these fds without the shared sockets being closed or shut down (which would stop the
    /// successor too, or reset its connections): each fd is made to refer to a fresh socket nobody connects to.
    /// </summary>
    private static void StopAccepting(IEnumerable<int> kestrelFds)
    {
        foreach (var fd in kestrelFds.Where(fd => fd >= 0))
        {
            // Non-blocking like the socket it stands in for: Kestrel's next accept on it must say "nothing yet", not wait.
            using var idle = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            idle.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            idle.Listen(1);
            SocketFds.Replace(fd, (int)idle.Handle);
        }
    }
}
