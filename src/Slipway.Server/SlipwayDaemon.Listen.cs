using System.Net.Sockets;
using Slipway.Control.State;
using Slipway.Core.Primitives;
using Slipway.Server.Api;
using Slipway.Server.Listeners;

namespace Slipway.Server;

/// <summary>The first step of a run: the daemon before this one, the state lock, and every listener.</summary>
internal sealed partial class SlipwayDaemon
{
    /// <summary>
    /// With <c>--takeover</c>, first asks the daemon running here for its listeners (it lets go of the state
    /// directory first, and keeps answering from its last routing table). Then takes the state lock and binds every
    /// listener before anything else is made: a port that is taken is one line naming what wanted it, and nothing is
    /// created. Bound and listening from here, the sockets queue connections until the proxy accepts, which is after
    /// the routing table is restored, so a restarted daemon answers no 404 or 503 for a route that works.
    /// </summary>
    /// <returns>Null, after saying why on <paramref name="error"/>, when the hand-over, the lock or a listener fails.</returns>
    private async Task<DaemonSockets?> BindAsync(Teardown teardown, string stateDirectory, TextWriter error)
    {
        Predecessor? predecessor;
        try
        {
            predecessor = _options.Takeover ? Handover.Request(stateDirectory) : null;
        }
        catch (Exception e) when (e is IOException or SocketException or System.Text.Json.JsonException)
        {
            await error.WriteLineAsync($"slipway: cannot take over from the running daemon: {e.Message}").ConfigureAwait(false);
            return null;
        }

        if (predecessor is not null)
        {
            teardown.Add(predecessor.Connection);
        }

        var stateLock = StateDirectoryLock.TryAcquire(stateDirectory, out var lockError);
        if (stateLock is null)
        {
            await error.WriteLineAsync($"slipway: {lockError}").ConfigureAwait(false);
            return null;
        }

        teardown.Add(stateLock);
        var listeners = DaemonListeners.Bind(_manifest, _options.Api, edge: _options.DataPlane is null, out var listenError, predecessor?.Listeners);
        if (listeners is null)
        {
            await error.WriteLineAsync($"slipway: {listenError}").ConfigureAwait(false);
            return null;
        }

        teardown.Add(listeners);
        var proxyFds = listeners.ProxyHandles();
        var proxy = _options.DataPlane is null ? teardown.AddAsync(EdgeProxy.Create(_manifest, ManifestDirectory, _time, _loggers, Metrics, CertificateRejected, proxyFds)) : null;
        if (proxy is not null)
        {
            // Stopped after the instances that sent it traffic have drained (the teardown runs in reverse).
            teardown.Add(() => proxy.StopAsync(CancellationToken.None), owner: proxy);
        }

        var apiFd = SocketFds.Duplicate(listeners[BoundListener.ApiKey].Fd);
        var handover = teardown.Add(Handover.Listen(stateDirectory));
        return new DaemonSockets(listeners, proxy, [.. proxyFds.Values.Select(v => v.Fd)], apiFd, handover, predecessor);
    }

    /// <summary>Where clients find this daemon (<see cref="ApiHost.AddressFile"/>); a wildcard address is written as loopback.</summary>
    private static void WriteAddress(string path, string address)
    {
        var local = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
        try
        {
            PrivateFile.Replace(path, System.Text.Encoding.UTF8.GetBytes(local + "\n"));
        }
        catch (IOException)
        {
            // A full disk: clients still find the daemon with --server.
        }
    }
}
