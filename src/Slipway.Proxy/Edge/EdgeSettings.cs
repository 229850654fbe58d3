using Slipway.Proxy.Tls.Acme;

namespace Slipway.Proxy.Edge;

/// <summary>The app-wide edge policies (<c>proxy:</c> in the manifest), compiled once when the proxy starts.</summary>
internal sealed class EdgeSettings
{
    public EdgeSettings(ProxyServerOptions options)
    {
        TrustedProxies = new AddressRanges(options.TrustedProxies);
        Headers = new ResponseHeaders(options.Headers);
        Compression = options.Compression is { } compression ? new ResponseCompression(compression) : null;
        MaxRequestBody = options.MaxRequestBodyBytes ?? long.MaxValue;
        Redirect = options.Tls is { RedirectHttp: true } ? new HttpsRedirect() : null;
        Challenges = options.Tls?.Challenges;
    }

    /// <summary>Null without ACME; else the HTTP-01 answers served over plain HTTP before any route or redirect.</summary>
    public AcmeChallenges? Challenges { get; }

    /// <summary>Null unless plain-HTTP requests are sent to HTTPS.</summary>
    public HttpsRedirect? Redirect { get; }

    public AddressRanges TrustedProxies { get; }

    public ResponseHeaders Headers { get; }

    /// <summary>Null when compression is off.</summary>
    public ResponseCompression? Compression { get; }

    /// <summary>Request bodies above this many bytes get 413; <see cref="long.MaxValue"/> for no limit.</summary>
    public long MaxRequestBody { get; }
}
