using System.Net;
using System.Net.Sockets;
using Slipway.Core.Manifest.Model;
using Slipway.Proxy.Edge;

namespace Slipway.Server.Listeners;

/// <summary>
/// Every socket the daemon listens on — the edge, each service's internal port, the control API — bound before
/// anything else is made, so a port that is taken is one line naming what wanted it, with nothing half-created.
/// Kestrel is given a duplicate of each (it closes its own when it stops); these stay for a successor to inherit.
/// </summary>
internal sealed class DaemonListeners : IDisposable
{
    private const int Backlog = 4096;
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    private readonly Dictionary<string, BoundListener> _listeners;

    public DaemonListeners(IEnumerable<BoundListener> listeners) =>
        _listeners = listeners.ToDictionary(l => l.Key, StringComparer.Ordinal);

    public IEnumerable<BoundListener> All => _listeners.Values;

    public BoundListener this[string key] => _listeners[key];

    public bool TryGet(string key, out BoundListener listener) => _listeners.TryGetValue(key, out listener!);

    /// <summary>Binds every listener the manifest and <c>--api</c> ask for; on a failure, none stays bound.</summary>
    /// <returns>The listeners, or null with <paramref name="error"/> naming the one that could not be bound and why.</returns>
    /// <param name="edge">False when the daemon hosts no edge proxy (tests that read routing tables instead): only the API is bound.</param>
    /// <param name="inherited">Listeners handed over by the daemon before this one, by key: used instead of binding
    /// where the manifest still asks for them; the rest are closed.</param>
    public static DaemonListeners? Bind(AppManifest manifest, HostPort api, bool edge, out string? error, IReadOnlyDictionary<string, BoundListener>? inherited = null)
    {
        var bound = new List<BoundListener>();
        var unused = new Dictionary<string, BoundListener>(inherited ?? new Dictionary<string, BoundListener>(), StringComparer.Ordinal);
        BoundListener BindOne(string key, IPEndPoint endPoint, string what)
        {
            // The same key, or the same address under another key (a listen URL's port 0 written out as the port it got).
            var handed = unused.GetValueOrDefault(key) is { } byKey && (endPoint.Port == 0 || byKey.EndPoint.Port == endPoint.Port)
                ? byKey
                : unused.Values.FirstOrDefault(h => h.EndPoint.Equals(endPoint));
            if (handed is not null)
            {
                unused.Remove(handed.Key);
                return handed with { Key = key };
            }

            return DaemonListeners.BindOne(key, endPoint, what);
        }

        try
        {
            foreach (var url in edge ? manifest.Proxy.Listen : [])
            {
                bound.Add(BindOne(url, ListenAddress.Parse(url).EndPoint, $"proxy.listen {url}"));
            }

            foreach (var (name, service) in manifest.Services.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                if (edge && service.Internal is { } listener)
                {
                    bound.Add(BindOne(BoundListener.InternalKey(listener.Port), new IPEndPoint(IPAddress.Loopback, listener.Port),
                        $"services.{name}.internal.port {listener.Port} (127.0.0.1:{listener.Port})"));
                }
            }

            var apiAddress = api.Host switch
            {
                "localhost" => IPAddress.Loopback,
                "*" or "0.0.0.0" => IPAddress.Any,
                var host => IPAddress.Parse(host),
            };
            bound.Add(BindOne(BoundListener.ApiKey, new IPEndPoint(apiAddress, api.Port), $"the control API (--api {api.Host}:{api.Port})"));
            foreach (var stale in unused.Values)
            {
                stale.Socket.Dispose(); // the new manifest no longer listens there
            }

            error = null;
            return new DaemonListeners(bound);
        }
        catch (ListenerException e)
        {
            foreach (var listener in bound)
            {
                listener.Socket.Dispose();
            }

            error = e.Message;
            return null;
        }
    }

    /// <summary>For Kestrel: a duplicate fd of every listener but the API's, by key; Kestrel owns and closes those.</summary>
    public IReadOnlyDictionary<string, (int Fd, IPEndPoint EndPoint)> ProxyHandles() =>
        _listeners.Values.Where(l => l.Key != BoundListener.ApiKey).ToDictionary(l => l.Key, l => (SocketFds.Duplicate(l.Fd), l.EndPoint), StringComparer.Ordinal);

    public void Dispose()
    {
        foreach (var listener in _listeners.Values)
        {
            listener.Socket.Dispose();
        }
    }

    private static BoundListener BindOne(string key, IPEndPoint endPoint, string what)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            // SO_REUSEADDR alone, so a restart binds again past connections in TIME_WAIT. Not SocketOptionName.ReuseAddress:
            // on Linux .NET sets SO_REUSEPORT with it, and then a second daemon binds the same port and shares its traffic.
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            socket.Bind(endPoint);
            socket.Listen(Backlog);
            return new BoundListener(key, (IPEndPoint)socket.LocalEndPoint!, socket);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ListenerException(e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => $"{what}: {endPoint} is already in use by another process (choose another port, or stop what listens there)",
                SocketError.AccessDenied => $"{what}: not allowed to listen on {endPoint} (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
                SocketError.AddressNotAvailable => $"{what}: {endPoint.Address} is not an address of this machine",
                _ => $"{what}: cannot listen on {endPoint}: {e.Message}",
            });
        }
    }

    private sealed class ListenerException(string message) : Exception(message);
}
