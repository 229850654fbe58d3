using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Slipway.Cli.Client;

/// <summary>The CLI's one way to the daemon: bearer token, JSON in and out, problems turned into one clear line.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _server;
    private readonly bool _hasToken;

    public ApiClient(string server, string? token)
    {
        _server = server.TrimEnd('/');
        _http = new HttpClient { BaseAddress = new Uri(_server + "/"), Timeout = TimeSpan.FromMinutes(10) };
        _hasToken = token is not null;
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Task<JsonElement> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<JsonElement> SendAsync(HttpMethod method, string path, object? body) => SendCoreAsync(method, path, body);

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
            throw new ApiException($"no Slipway daemon at {_server} ({e.Message}); start one with `slipway up slipway.yaml`, or point --server / SLIPWAY_SERVER at it", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
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
                    detail = "no token was found: pass --token, set SLIPWAY_TOKEN, or run from the directory holding .slipway/ "
                        + "or give --state-dir DIR (the daemon wrote DIR/admin.token at its first start)";
                }

                throw new ApiException($"{(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
            }

            if (text.Length == 0)
            {
                return default;
            }

            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
    }
}
