using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Routing;
using Slipway.Proxy;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Tls;
using Slipway.Proxy.Tls.Acme;

namespace Slipway.Server;

/// <summary>The manifest's <c>proxy:</c> and <c>internal:</c> sections as the proxy's hosting options.</summary>
internal static class EdgeProxy
{
    /// <summary>The logger category of the access lines (<c>proxy.accessLog</c>), for a host's log filters.</summary>
    public const string AccessLogCategory = AccessLogOptions.Category;

    /// <param name="stateDirectory">Where ACME keeps its account and certificates; null without ACME (tests of other things).</param>
    /// <param name="bound">Listening sockets by listen URL or <c>internal:PORT</c>; Kestrel gets a duplicate of each.</param>
    public static ProxyServer Create(
        AppManifest manifest, string manifestDirectory, TimeProvider time, ILoggerFactory loggers, IRequestMetricsSink metrics, Action<string>? certificateRejected = null,
        string? stateDirectory = null, IReadOnlyDictionary<string, (int Fd, System.Net.IPEndPoint EndPoint)>? bound = null)
    {
        var acme = AcmeOptionsFor(manifest, manifestDirectory, stateDirectory);
        var internalServices = new Dictionary<int, string>();
        foreach (var (name, service) in manifest.Services)
        {
            if (service.Internal is { } listener)
            {
                internalServices[listener.Port] = name;
            }
        }

        return new ProxyServer(new ProxyServerOptions
        {
            Listen = manifest.Proxy.Listen,
            Bound = bound ?? new Dictionary<string, (int, System.Net.IPEndPoint)>(),
            Tls = manifest.Proxy.Tls is { } tls
                ? new TlsOptions
                {
                    Certificates =
                    [
                        .. tls.AllFiles().Select(f => new CertificateFiles(
                            Path.Combine(manifestDirectory, f.Files.Certificate), f.Files.Key.Length > 0 ? Path.Combine(manifestDirectory, f.Files.Key) : null)
                        {
                            Label = f.Files.Certificate,
                        }),
                        .. acme?.Files() ?? [],
                    ],
                    Challenges = acme is null ? null : new AcmeChallenges(),
                    MinVersion = tls.MinVersion == "1.3" ? SslProtocols.Tls13 : SslProtocols.Tls12,
                    RedirectHttp = tls.RedirectHttp,
                    OnRejected = certificateRejected,
                }
                : null,
            InternalServices = internalServices,
            TimeProvider = time,
            MetricsSink = metrics,
            LoggerFactory = loggers,
            MaxRequestHeadersTotalSize = (int)Math.Min(int.MaxValue, manifest.Proxy.Limits.MaxHeaderBytes.Bytes),
            MaxRequestBodyBytes = manifest.Proxy.Limits.MaxRequestBody.Bytes,
            MaxConnections = manifest.Proxy.Limits.MaxConnections > 0 ? manifest.Proxy.Limits.MaxConnections : null,
            RequestHeadersTimeout = manifest.Proxy.Limits.RequestHeadersTimeout,
            KeepAliveTimeout = manifest.Proxy.Limits.KeepAliveTimeout,
            TrustedProxies = manifest.Proxy.TrustedProxies,
            Engine = manifest.Proxy.Engine,
            Headers = new ResponseHeaderOptions
            {
                Secure = manifest.Proxy.Headers.Preset == HeadersPreset.Secure,
                Set = manifest.Proxy.Headers.Set,
                Remove = manifest.Proxy.Headers.Remove,
            },
            Compression = manifest.Proxy.Compression is { } compression
                ? new CompressionOptions
                {
                    MinBytes = compression.MinBytes.Bytes,
                    Algorithms = [.. compression.Algorithms.Select(a => a == CompressionAlgorithm.Br ? ContentCoding.Brotli : ContentCoding.Gzip)],
                    Types = compression.Types,
                }
                : null,

            // A backend that answers while it reads (an echo) has its answer held while the body is sent: as much as
            // the largest body the edge takes.
            Backend = new Proxy.Forwarding.BackendClientOptions { MaxReadAhead = Math.Max(manifest.Proxy.Limits.MaxRequestBody.Bytes, 1L << 20) },
            AccessLog = new AccessLogOptions
            {
                Enabled = manifest.Proxy.AccessLog.Enabled,
                SampleEvery = manifest.Proxy.AccessLog.Sample <= 0 ? int.MaxValue : (int)Math.Round(1 / manifest.Proxy.AccessLog.Sample),
            },
            // Running request code on the socket's I/O thread measured slower in bench/proxy.sh on 2 cores
            // (0.47-0.57x nginx against 0.61-0.69x on the thread pool), so it stays off.
            InlineScheduling = false,
        });
    }

    /// <summary><c>proxy.tls.acme</c> with its paths resolved; null without it.</summary>
    public static AcmeOptions? AcmeOptionsFor(AppManifest manifest, string manifestDirectory, string? stateDirectory) =>
        manifest.Proxy.Tls?.Acme is { } acme && stateDirectory is not null
            ? new AcmeOptions
            {
                Directory = new Uri(acme.Directory),
                Email = acme.Email,
                Hosts = acme.Hosts,
                StateDirectory = stateDirectory,
                TrustedCa = acme.TrustedCa is null ? null : Path.Combine(manifestDirectory, acme.TrustedCa),
            }
            : null;
}
