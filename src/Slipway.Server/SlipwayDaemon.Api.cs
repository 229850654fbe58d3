using System.Net;
using Slipway.Core.Tls;
using Slipway.Proxy.Tls;

namespace Slipway.Server;

/// <summary>The control API's listener: HTTPS with <c>--api-cert</c>, and never plain HTTP off loopback.</summary>
internal sealed partial class SlipwayDaemon
{
    /// <summary>
    /// The API's certificate, loaded and checked like the edge's (and rotated the same way), or null for plain HTTP on
    /// loopback; false after saying why on <paramref name="error"/>: a plain listener other machines could reach (tokens
    /// would cross the network in the clear), or a certificate that cannot serve.
    /// </summary>
    private async Task<(bool Ok, CertificateStore? Certificate)> ApiCertificateAsync(Teardown teardown, TextWriter error)
    {
        var api = _options.Api;
        if (_options.ApiCertificate is not { } certificate)
        {
            if (IsLoopback(api.Host))
            {
                return (true, null);
            }

            await error.WriteLineAsync(
                $"slipway: --api {api.Host}:{api.Port} is reachable from other machines and would carry API tokens in plain HTTP: "
                + "serve it over TLS with --api-cert FILE --api-key FILE (PEM), or keep --api on 127.0.0.1").ConfigureAwait(false);
            return (false, null);
        }

        try
        {
            var files = new CertificateFiles(certificate, _options.ApiKey) { Label = "--api-cert" };
            var store = teardown.Add(new CertificateStore(new TlsOptions { Certificates = [files] }, _time, _loggers.CreateLogger("Slipway.Api")));
            store.StartWatching();
            return (true, store);
        }
        catch (CertificateFileException e)
        {
            await error.WriteLineAsync($"slipway: --api-cert: {e.Message}").ConfigureAwait(false);
            return (false, null);
        }
    }

    private static bool IsLoopback(string host) => host == "localhost" || IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
}
