namespace Slipway.Proxy.Transport;

/// <summary>
/// On a connection of the direct transport: <see cref="HandOver"/> puts Kestrel's kind of pipes between the socket and
/// whoever reads <c>Transport</c> next (Kestrel's HTTP layer, when the fast path gives a connection up).
/// </summary>
internal interface IDirectTransportFeature
{
    /// <summary>
    /// From now on <c>Transport</c> is a pair of pipes pumped to and from the socket, with the reader of the input on
    /// the thread pool, as Kestrel's socket transport does; bytes read but not consumed come first. Call it with no
    /// read or flush pending, once.
    /// </summary>
    void HandOver();

    /// <summary>The socket's sends on the readiness engine (Linux, <see cref="ReadinessReceiver.Sender"/>); null on .NET's receives.</summary>
    ReadinessSender? Sender { get; }
}
