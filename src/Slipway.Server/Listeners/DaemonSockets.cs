using System.Net.Sockets;
using Slipway.Proxy;

namespace Slipway.Server.Listeners;

/// <summary>
/// What a daemon listens with: every bound listener, the edge proxy that will accept on duplicates of them (none when
/// a <see cref="DataPlane"/> stands in), the API's duplicate, the hand-over socket a successor asks on, and the
/// predecessor this daemon took over from, told once this one serves.
/// </summary>
internal sealed record DaemonSockets(
    DaemonListeners Listeners,
    ProxyServer? Proxy,
    IReadOnlyList<int> KestrelFds,
    int ApiFd,
    Socket HandoverListener,
    Predecessor? Predecessor);
