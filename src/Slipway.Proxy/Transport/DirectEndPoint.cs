using System.Net;

namespace Slipway.Proxy.Transport;

/// <summary>
/// A listener for <see cref="DirectSocketTransportFactory"/>: the address to bind (an <see cref="IPEndPoint"/>) or the
/// socket handed over (a <see cref="Microsoft.AspNetCore.Connections.FileHandleEndPoint"/>). Kestrel picks a transport by endpoint, so this wrapper is how
/// the fast path's plain HTTP/1.1 listeners get the direct transport while every other listener keeps Kestrel's own.
/// </summary>
internal sealed class DirectEndPoint(EndPoint inner) : EndPoint
{
    public EndPoint Inner { get; } = inner;

    public override string ToString() => Inner.ToString() ?? string.Empty;
}
