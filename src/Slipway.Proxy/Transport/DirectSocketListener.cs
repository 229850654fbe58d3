using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Slipway.Proxy.Transport;

/// <summary>One listening socket of the direct transport; Kestrel's accept loop calls <see cref="AcceptAsync"/>.</summary>
internal sealed class DirectSocketListener(Socket socket, MemoryPool<byte> pool, ReadinessEngine? readiness) : IConnectionListener
{
    public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.OperationAborted)
            {
                // Unbound: the accept loop ends.
                return null;
            }
            catch (SocketException)
            {
                // A connection reset before it was accepted: take the next one, as Kestrel's transport does.
                continue;
            }

            accepted.NoDelay = true;
            return new DirectSocketConnection(accepted, pool, readiness);
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        pool.Dispose();
        return ValueTask.CompletedTask;
    }
}
