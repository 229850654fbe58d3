using System.Globalization;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Rollouts;

/// <summary>
/// Sends a deploy's smoke checks to the new revision only: through the edge proxy with the revision pin header
/// (and on <c>deploy.previewHost</c> when set) when the daemon runs one (so routes, host and path prefix apply as
/// for users), else straight to a ready instance.
/// </summary>
internal sealed class SmokeChecker : IDisposable
{
    /// <summary>The proxy's revision pin header (the proxy's RevisionSelector reads the same name).</summary>
    public const string PinHeader = "X-Slipway-Revision";

    private readonly HttpClient _http;
    private readonly Func<Uri?> _edge;
    private readonly TimeProvider _time;

    /// <param name="edge">The edge proxy's address once it listens; null when there is none.</param>
    public SmokeChecker(Func<Uri?> edge, TimeProvider time)
    {
        _edge = edge;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            // The edge is this daemon's own listener on a loopback or local address, and its certificate names the public
            // hosts, not that address: the check is about the new revision's answers, not the certificate.
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
        })
        { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <returns>Null when every check passed; otherwise the first failure in one line.</returns>
    public async Task<string?> RunAsync(ServiceSpec spec, string revision, IReadOnlyList<int> readyPorts, CancellationToken cancel)
    {
        foreach (var check in spec.Deploy.Hooks.Smoke)
        {
            var edge = _edge();
            Uri target;
            string? host = null;
            if (edge is not null && spec.Routes.Count > 0)
            {
                target = new Uri(edge, check.Path);
                // The preview host when there is one: the checks then go the way a person previewing the release goes.
                host = spec.Deploy.PreviewHost ?? spec.Routes[0].Host;
            }
            else if (readyPorts.Count > 0)
            {
                target = new Uri($"http://127.0.0.1:{readyPorts[0].ToString(CultureInfo.InvariantCulture)}{check.Path}");
            }
            else
            {
                return $"smoke {check.Method} {check.Path}: no ready instance of revision {revision} to send it to";
            }

            using var request = new HttpRequestMessage(new HttpMethod(check.Method), target);
            request.Headers.TryAddWithoutValidation(PinHeader, revision);
            if (host is not null && !host.Contains('*', StringComparison.Ordinal))
            {
                request.Headers.Host = host;
            }

            using var timeout = new CancellationTokenSource(Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancel);
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                var ok = check.Status is { } expected ? status == expected : status is >= 200 and < 300;
                if (!ok)
                {
                    return $"smoke {check.Method} {check.Path} answered {status.ToString(CultureInfo.InvariantCulture)}, expected {(check.Status is { } s ? s.ToString(CultureInfo.InvariantCulture) : "2xx")}";
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancel.IsCancellationRequested)
            {
                return $"smoke {check.Method} {check.Path} got no answer within {Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
            }
            catch (HttpRequestException e)
            {
                return $"smoke {check.Method} {check.Path} failed: {e.Message}";
            }
        }

        return null;
    }

    public void Dispose() => _http.Dispose();
}
