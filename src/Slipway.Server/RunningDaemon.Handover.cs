using System.Net;
using System.Net.Sockets;
using Slipway.Server.Listeners;

namespace Slipway.Server;

/// <summary>The running daemon's side of a hand-over to a successor (<see cref="Handover"/>).</summary>
internal sealed partial class RunningDaemon
{
    /// <summary>How long the old daemon waits for the successor to serve, and then for its own connections to end.</summary>
    public static readonly TimeSpan HandoverLimit = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan HandoverDrainLimit = TimeSpan.FromSeconds(30);

    /// <summary>Runs until <paramref name="shutdown"/> fires (null) or a successor asks to take over (its connection).</summary>
    public async Task<Socket?> WaitForSuccessorAsync(CancellationToken shutdown)
    {
        try
        {
            return await Handover.AcceptRequestAsync(_parts.Sockets.HandoverListener, shutdown).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stops the control plane without stopping the instances (they stay running and recorded for the successor to
    /// adopt) and releases the state directory, while the proxy keeps answering from its last routing table. Then
    /// sends the listeners, and once the successor serves, stops accepting, asks every connection to close after its
    /// answer, and lets them finish. Returns the exit code.
    /// </summary>
    public async Task<int> HandOverAsync(Socket successor, CancellationToken shutdown)
    {
        var sockets = _parts.Sockets;
        await StopPeriodicWorkAsync().ConfigureAwait(false);

        // The API's socket goes to the successor: Kestrel stops accepting on it without closing it.
        StopAccepting([sockets.ApiFd]);
        await _parts.Api.DisposeAsync().ConfigureAwait(false);

        // A job run is not adopted: it is cancelled (and recorded so) before the state directory is let go.
        await _parts.Jobs.StopAsync().ConfigureAwait(false);
        DaemonLog.Stopping(_logger);
        _parts.Say("slipway: handing over to a new daemon: instances keep running for it to adopt; the proxy answers until it serves");
        await _parts.Rollouts.DisposeAsync().ConfigureAwait(false);
        await _parts.Supervisor.DetachAsync().ConfigureAwait(false);

        // Everything but the listeners and the proxy; the hand-over socket is closed before the successor makes its
        // own (disposing a bound Unix socket deletes its path, which would be the successor's).
        _teardown.Remove(sockets.Listeners);
        if (sockets.Proxy is not null)
        {
            _teardown.Remove(sockets.Proxy);
        }

        await _teardown.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        SayAuditHead();
        using (sockets.Listeners)
        {
            return await SendListenersAsync(successor, shutdown).ConfigureAwait(false);
        }
    }

    private async Task<int> SendListenersAsync(Socket successor, CancellationToken shutdown)
    {
        var proxy = _parts.Sockets.Proxy;
        using (successor)
        {
            var serving = await Handover.SendAsync(successor, _parts.Sockets.Listeners, HandoverLimit).ConfigureAwait(false);
            if (!serving)
            {
                _parts.Say("slipway: the new daemon did not take over; this one answers from its last routing table, without supervision, until it is stopped (start a new daemon with --takeover, or stop this one and run `slipway up`)");
                await Task.Delay(Timeout.InfiniteTimeSpan, _time, shutdown).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (proxy is not null)
                {
                    await proxy.DisposeAsync().ConfigureAwait(false);
                }

                return 1;
            }
        }

        if (proxy is not null)
        {
            StopAccepting(_parts.Sockets.KestrelFds);
            proxy.BeginClosing();
            var started = _time.GetTimestamp();
            while (proxy.OpenConnections > 0 && _time.GetElapsedTime(started) < HandoverDrainLimit)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, CancellationToken.None).ConfigureAwait(false);
            }

            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time))
            {
                await proxy.StopAsync(timeout.Token).ConfigureAwait(false);
            }

            await proxy.DisposeAsync().ConfigureAwait(false);
        }

        _parts.Say("slipway: handed over: the new daemon serves and supervises; this one exits");
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
