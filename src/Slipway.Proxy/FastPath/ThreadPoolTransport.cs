using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// A connection's transport as the general path gets it while Kestrel schedules inline (see
/// <see cref="ThreadPoolPipeReader"/>): the same output, an input that resumes on the thread pool.
/// </summary>
internal sealed class ThreadPoolTransport(IDuplexPipe inner) : IDuplexPipe
{
    public PipeReader Input { get; } = new ThreadPoolPipeReader(inner.Input);

    public PipeWriter Output => inner.Output;

    /// <summary>
    /// The connection middleware for listeners the fast path does not serve (TLS, HTTP/2), installed first: the
    /// connection is handled on the thread pool from its first byte.
    /// </summary>
    public static ConnectionDelegate Use(ConnectionDelegate next) => async connection =>
    {
        connection.Transport = new ThreadPoolTransport(connection.Transport);
        await Task.Yield();
        await next(connection).ConfigureAwait(false);
    };
}
