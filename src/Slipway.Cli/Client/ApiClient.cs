using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli.Client;

/// <summary>The CLI's one way to the daemon: bearer token, JSON in and out, problems turned into one clear line.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _server;
    private readonly string _serverSource;
    private readonly bool _hasToken;
    private readonly CancellationToken _cancellation;

    /// <param name="serverSource">Where the address came from (<c>--server</c>, <c>SLIPWAY_SERVER</c>, the default), for the unreachable message.</param>
    /// <param name="trust">For an <c>https://</c> server: whose certificate to accept; the system's roots when null.</param>
    /// <param name="cancellation">Stops every call (Ctrl-C): it throws <see cref="OperationCanceledException"/>.</param>
    public ApiClient(string server, string? token, string serverSource = "--server", ServerTrust? trust = null, CancellationToken cancellation = default)
    {
        _cancellation = cancellation;
        _server = server.TrimEnd('/');
        _serverSource = serverSource;
        _http = new HttpClient((trust ?? ServerTrust.System).Handler()) { BaseAddress = new Uri(_server + "/"), Timeout = TimeSpan.FromMinutes(10) };
        _hasToken = token is not null;
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public async Task<T> GetAsync<T>(string path) => Read<T>(await SendCoreAsync(HttpMethod.Get, path, null).ConfigureAwait(false));

    /// <summary>A call with no body that answers with <typeparamref name="TResponse"/>.</summary>
    public async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path) => Read<TResponse>(await SendCoreAsync(method, path, null).ConfigureAwait(false));

    public async Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body) =>
        Read<TResponse>(await SendCoreAsync(method, path, JsonContent.Create(body, ApiJson.Info<TRequest>())).ConfigureAwait(false));

    /// <summary>A call answered with no body (204).</summary>
    public Task SendAsync(HttpMethod method, string path) => SendCoreAsync(method, path, null);

    /// <summary>
    /// Reads a <c>text/event-stream</c> until the server ends it or <paramref name="cancellationToken"/> fires, handing
    /// each <c>data:</c> item to <paramref name="onItem"/> as it arrives.
    /// </summary>
    public async Task StreamAsync<T>(string path, Func<T, Task> onItem, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        using var response = await SendCheckedAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            var info = ApiJson.Info<T>();
            // An "end" event is the daemon ending the stream (token revoked, stream too old): say why, not a silent exit 0.
            var events = SseParser.Create(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), (type, data) => type == "end"
                ? throw new ApiException($"the daemon ended the stream: {JsonSerializer.Deserialize(data, ApiJson.Info<StreamEnd>())?.Reason}")
                : JsonSerializer.Deserialize(data, info)!);
            await foreach (var item in events.EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                await onItem(item.Data).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new ApiException($"the daemon at {_server} closed the stream: {e.Message}", e);
        }
    }

    public void Dispose() => _http.Dispose();

    private static T Read<T>(string text) => JsonSerializer.Deserialize(text, ApiJson.Info<T>())
        ?? throw new ApiException($"the daemon answered with no {typeof(T).Name}");

    /// <returns>The answer's body text.</returns>
    private async Task<string> SendCoreAsync(HttpMethod method, string path, HttpContent? body)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = body };
        using var response = await SendCheckedAsync(request, HttpCompletionOption.ResponseContentRead, _cancellation).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(_cancellation).ConfigureAwait(false);
    }

    /// <summary>The daemon's answer when it is a success; an unreachable daemon or a problem answer is an <see cref="ApiException"/> that says which.</summary>
    private async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProblemAsync(response).ConfigureAwait(false);
        }
    }

    private ApiException Unreachable(HttpRequestException e) => e.InnerException is System.Security.Authentication.AuthenticationException tls
        ? new($"the daemon at {_server} (from {_serverSource}) presented a certificate this CLI does not trust ({tls.Message}); "
            + "trust it with --ca-file FILE (its certificate or CA) or --fingerprint SHA256", e)
        : new($"daemon not reachable at {_server} (from {_serverSource}: {e.Message}); start it with `slipway up FILE`, or point --server / SLIPWAY_SERVER at it", e);

    private async Task<ApiException> ProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var detail = text;
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.TryGetProperty("detail", out var d))
            {
                detail = d.GetString() ?? text;
            }
        }
        catch (JsonException)
        {
            // Not a problem document: show the text as it came.
        }

        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && !_hasToken)
        {
            detail = "no token was found: pass --token, set SLIPWAY_TOKEN, give --file MANIFEST or --state-dir DIR "
                + "(the daemon wrote admin.token in its state directory at its first start), or run from the directory holding .slipway/";
        }

        return new ApiException($"{(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
    }
}
