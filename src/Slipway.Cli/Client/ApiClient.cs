using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Slipway.Cli.Client;

/// <summary>The CLI's one way to the daemon: bearer token, JSON in and out, problems turned into one clear line.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _server;
    private readonly string _serverSource;
    private readonly bool _hasToken;

    /// <param name="serverSource">Where the address came from (<c>--server</c>, <c>SLIPWAY_SERVER</c>, the default), for the unreachable message.</param>
    public ApiClient(string server, string? token, string serverSource = "--server")
    {
        _server = server.TrimEnd('/');
        _serverSource = serverSource;
        _http = new HttpClient { BaseAddress = new Uri(_server + "/"), Timeout = TimeSpan.FromMinutes(10) };
        _hasToken = token is not null;
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Task<JsonElement> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<JsonElement> SendAsync(HttpMethod method, string path, object? body) => SendCoreAsync(method, path, body);

    /// <summary>
    /// Reads a <c>text/event-stream</c> until the server ends it or <paramref name="cancellationToken"/> fires, handing
    /// each <c>data:</c> JSON item to <paramref name="onItem"/> as it arrives.
    /// </summary>
    public async Task StreamAsync(string path, Func<JsonElement, Task> onItem, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ProblemAsync(response).ConfigureAwait(false);
            }

            try
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (line.StartsWith("data:", StringComparison.Ordinal))
                    {
                        using var item = JsonDocument.Parse(line.AsMemory(5));
                        await onItem(item.RootElement).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw new ApiException($"the daemon at {_server} closed the stream: {e.Message}", e);
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendCoreAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ProblemAsync(response).ConfigureAwait(false);
            }

            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (text.Length == 0)
            {
                return default;
            }

            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
    }

    private ApiException Unreachable(HttpRequestException e) =>
        new($"daemon not reachable at {_server} (from {_serverSource}: {e.Message}); start it with `slipway up FILE`, or point --server / SLIPWAY_SERVER at it", e);

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
