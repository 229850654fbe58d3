using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Slipway.Proxy.Tls;

/// <summary>
/// The one place an edge listener becomes HTTPS, whether Kestrel bound its socket or it was handed over: each
/// handshake takes the certificate for its SNI name from the store's current set.
/// </summary>
internal static class HttpsListener
{
    public static void Configure(ListenOptions listen, CertificateStore store)
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = static context => ValueTask.FromResult(((CertificateStore)context.State!).Current.Select(context.ClientHelloInfo.ServerName)),
            OnConnectionState = store,
        });
    }
}
