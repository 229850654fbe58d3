using System.Globalization;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Probes;

/// <summary>GET the path; 2xx and 3xx pass (redirects are not followed), as Kubernetes does.</summary>
internal sealed class HttpProbe : IProbe, IDisposable
{
    private readonly HttpClient _client;
    private readonly TimeProvider _time;

    public HttpProbe(TimeProvider time)
    {
        _time = time;
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            UseProxy = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string Name => "http";

    public bool Handles(ProbeSpec spec) => spec.Http is not null;

    public async Task<ProbeResult> CheckAsync(ProbeSpec spec, ProbeTarget target, CancellationToken cancellationToken)
    {
        var url = $"http://{target.Host}:{target.Port.ToString(CultureInfo.InvariantCulture)}{spec.Http}";
        using var timeout = new CancellationTokenSource(spec.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.ParseAdd("slipway-probe");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400
                ? ProbeResult.Pass($"GET {spec.Http} answered {code}")
                : ProbeResult.Fail($"GET {spec.Http} answered {code} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail($"GET {spec.Http} gave no answer within {Core.Primitives.DurationText.Format(spec.Timeout)}");
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Fail($"GET {url} failed: {e.Message}");
        }
    }

    public void Dispose() => _client.Dispose();
}
