using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Slipway.Proxy.Transport;

/// <summary>
/// The client's socket as the stream under the direct transport's writer (reads go through
/// <see cref="DirectSocketReader"/>): writes through <paramref name="sender"/> on the readiness engine (Linux), else
/// through the socket. A failed write is an <see cref="IOException"/>.
/// </summary>
internal sealed class DirectSocketStream(Socket socket, ReadinessSender? sender) : Stream
{
    public override bool CanRead => false;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            if (sender is not null)
            {
                await sender.SendAsync(buffer).ConfigureAwait(false);
                return;
            }

            while (!buffer.IsEmpty)
            {
                var sent = await socket.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                buffer = buffer[sent..];
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            throw new IOException("the client connection is gone", exception);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the direct transport reads through its PipeReader");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the direct transport is asynchronous only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
