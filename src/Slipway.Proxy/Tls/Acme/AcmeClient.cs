using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Proxy.Tls.Acme;

/// <summary>
/// The narrow RFC 8555 client the edge needs: one account, orders for DNS names, HTTP-01 only. Every request is a
/// JWS signed with the account key; a badNonce answer is retried once with the fresh nonce it carries (§6.5).
/// Waits (polling, Retry-After) run on the injected clock.
/// </summary>
internal sealed partial class AcmeClient
{
    private const string BadNonce = "urn:ietf:params:acme:error:badNonce";
    private readonly HttpClient _http;
    private readonly Uri _directoryUrl;
    private readonly AcmeAccountKey _key;
    private readonly AcmeChallenges _challenges;
    private readonly TimeProvider _time;
    private JsonObject? _directory;
    private string? _nonce;
    private string? _accountUrl;

    public AcmeClient(HttpClient http, Uri directoryUrl, AcmeAccountKey key, AcmeChallenges challenges, TimeProvider time)
    {
        _http = http;
        _directoryUrl = directoryUrl;
        _key = key;
        _challenges = challenges;
        _time = time;
    }

    /// <summary>How often an order or authorization is looked at again when the CA gives no Retry-After.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long validation and issuance may take before the order is given up.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMinutes(2);

    private async Task<string> ResourceAsync(string name, CancellationToken cancel)
    {
        if (_directory is null)
        {
            using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, _directoryUrl), cancel);
            _directory = await ReadObjectAsync(response, _directoryUrl, cancel);
        }

        return _directory[name]?.GetValue<string>()
            ?? throw new AcmeException($"the ACME directory {_directoryUrl} names no {name} resource; is it an ACME (RFC 8555) directory?");
    }

    /// <summary>A signed POST (empty payload: POST-as-GET) to <paramref name="url"/>; the CA's problem becomes an <see cref="AcmeException"/>.</summary>
    private async Task<HttpResponseMessage> PostAsync(Uri url, string payload, CancellationToken cancel, string? accept = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var header = new JsonObject { ["nonce"] = await NonceAsync(cancel), ["url"] = url.AbsoluteUri };
            if (_accountUrl is null)
            {
                header["jwk"] = _key.Jwk();
            }
            else
            {
                header["kid"] = _accountUrl;
            }

            var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(_key.Sign(header, payload), Encoding.UTF8),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
            if (accept is not null)
            {
                request.Headers.Accept.ParseAdd(accept);
            }

            var response = await SendAsync(request, cancel);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var problem = await ProblemAsync(response, url, cancel);
                if (problem.ProblemType != BadNonce || attempt > 0)
                {
                    throw problem;
                }
            }
        }
    }

    private async Task<string> NonceAsync(CancellationToken cancel)
    {
        if (Interlocked.Exchange(ref _nonce, null) is { } nonce)
        {
            return nonce;
        }

        var url = new Uri(await ResourceAsync("newNonce", cancel));
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Head, url), cancel);
        return Interlocked.Exchange(ref _nonce, null) ?? throw new AcmeException($"the ACME server gave no Replay-Nonce at {url}");
    }

    /// <summary>Sends and keeps the nonce every ACME answer carries; an unreachable CA becomes an <see cref="AcmeException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
    {
        var url = request.RequestUri!;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancel);
        }
        catch (HttpRequestException e)
        {
            throw new AcmeException($"the ACME server at {url.GetLeftPart(UriPartial.Authority)} cannot be reached ({e.Message}); check proxy.tls.acme.directory and the network", inner: e);
        }
        finally
        {
            request.Dispose();
        }

        if (response.Headers.TryGetValues("Replay-Nonce", out var nonces))
        {
            _nonce = nonces.First();
        }

        if (!response.IsSuccessStatusCode && request.Method != HttpMethod.Post)
        {
            using (response)
            {
                throw await ProblemAsync(response, url, cancel);
            }
        }

        return response;
    }

    private async Task<AcmeException> ProblemAsync(HttpResponseMessage response, Uri url, CancellationToken cancel)
    {
        var retryAfter = RetryAfter(response);
        var body = await response.Content.ReadAsStringAsync(cancel);
        try
        {
            if (JsonNode.Parse(body) is JsonObject problem && problem["type"]?.GetValue<string>() is { } type)
            {
                var detail = problem["detail"]?.GetValue<string>() ?? "(no detail)";
                return new AcmeException($"the ACME server refused {url}: {detail} ({type})", type, retryAfter);
            }
        }
        catch (JsonException)
        {
            // Not a problem document: reported below with the status.
        }

        return new AcmeException($"the ACME server answered {(int)response.StatusCode} {response.ReasonPhrase} to {url} without an ACME problem document", retryAfter: retryAfter);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, Uri url, CancellationToken cancel)
    {
        var body = await response.Content.ReadAsStringAsync(cancel);
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            throw new AcmeException($"{url} answered something that is not ACME JSON; check proxy.tls.acme.directory");
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
