using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Slipway.Proxy.Tls;

/// <summary>
/// The one place an edge listener becomes HTTPS, whether Kestrel bound its socket or it was handed over: each
/// handshake takes the certificate for its SNI name from the store's current set, and fails (the client sees a
/// handshake error) while there is none, before ACME issued the first.
/// </summary>
internal static class HttpsListener
{
    public static void Configure(ListenOptions listen, CertificateStore store)
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = static context => ((CertificateStore)context.State!).Current.Select(context.ClientHelloInfo.ServerName) is { } options
                ? ValueTask.FromResult(options)
                : ValueTask.FromException<SslServerAuthenticationOptions>(new AuthenticationException(
                    $"no certificate to serve {context.ClientHelloInfo.ServerName} yet: ACME has not issued one")),
            OnConnectionState = store,
        });
    }
}
