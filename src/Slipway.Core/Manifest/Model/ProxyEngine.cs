namespace Slipway.Core.Manifest.Model;

/// <summary><c>proxy.engine</c>: which HTTP/1.1 forwarding path the edge uses.</summary>
internal enum ProxyEngine
{
    /// <summary>The fast path for plain HTTP/1.1 requests it can take, the general path for everything else.</summary>
    Auto,

    /// <summary>Kestrel's HTTP layer and SocketsHttpHandler for every request.</summary>
    General,
}
