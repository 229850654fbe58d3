using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Slipway.Proxy.Transport;

/// <summary>
/// Kestrel's transport for the listeners marked with <see cref="DirectEndPoint"/>: connections whose pipes read and
/// write the socket directly (<see cref="DirectSocketConnection"/>), so the fast path runs on the thread that completed
/// the socket operation, with no pipe hand-off in between. Its buffers come from Kestrel's pinned-block memory pool, one
/// per listener as Kestrel's socket transport has. With <paramref name="readiness"/> (Linux) a connection receives
/// through it, calling <c>recv</c> only once the socket is readable.
/// </summary>
internal sealed class DirectSocketTransportFactory(IMemoryPoolFactory<byte> pools, ReadinessEngine? readiness = null) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>The accept backlog Kestrel's socket transport uses.</summary>
    private const int Backlog = 512;

    public bool CanBind(EndPoint endpoint) => endpoint is DirectEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var direct = endpoint as DirectEndPoint ?? throw new NotSupportedException($"the direct transport binds only a {nameof(DirectEndPoint)}, not {endpoint}");
        Socket socket;
        switch (direct.Inner)
        {
            case IPEndPoint address:
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.Address.Equals(IPAddress.IPv6Any))
                    {
                        socket.DualMode = true;
                    }

                    socket.Bind(address);
                }
                catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
                {
                    socket.Dispose();
                    throw new AddressInUseException(exception.Message, exception);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                socket.Listen(Backlog);
                break;
            case FileHandleEndPoint handle:
                // A socket bound and listening already (the daemon's, or one handed over): Kestrel owns the fd it is given.
                socket = new Socket(new SafeSocketHandle((IntPtr)(long)handle.FileHandle, ownsHandle: true));
                break;
            default:
                throw new NotSupportedException($"the direct transport cannot bind {direct.Inner}");
        }

        return ValueTask.FromResult<IConnectionListener>(new DirectSocketListener(socket, pools.Create(), readiness));
    }
}
