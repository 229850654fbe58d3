using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Slipway.Server.Api;

namespace Slipway.Server.Tests.Api;

/// <summary>Every endpoint holds its request body to a limit (413 problem, nothing done); a key given twice is refused.</summary>
public sealed partial class BodyLimitTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public BodyLimitTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task EveryEndpoint_DeclaredBodyOverItsLimit_Is413Problem()
    {
        var endpoints = _daemon.Running.Api.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Endpoint: e, Method: m)))
            .ToList();
        Assert.NotEmpty(endpoints);
        using var client = _daemon.Client(_daemon.AdminToken);
        foreach (var (endpoint, method) in endpoints)
        {
            var limit = endpoint.Metadata.GetMetadata<BodyLimit>() ?? BodyLimit.Default;
            var path = RouteParameter().Replace("/" + endpoint.RoutePattern.RawText!.TrimStart('/'), "nobody");
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new DeclaredLengthContent(limit.Bytes + 1) };
            request.Headers.ExpectContinue = true; // the body is never sent when the answer comes first
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

            Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Scale_ChunkedBodyOverTheLimit_Is413AndScalesNothing()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        var before = await ReplicasAsync(client);
        var padding = new string('x', (int)BodyLimit.Default.Bytes);
        var content = new StringContent($$"""{"replicas": {{before + 1}}, "padding": "{{padding}}"}""", Encoding.UTF8, "application/json");
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/services/api/scale") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("64 KiB", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await ReplicasAsync(client));
    }

    [Fact]
    public async Task Scale_KeyGivenTwice_Is400AndScalesNothing()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        var before = await ReplicasAsync(client);
        using var response = await client.PostAsync("/api/v1/services/api/scale",
            new StringContent($$"""{"replicas": {{before + 2}}, "replicas": {{before + 1}}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("replicas", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await ReplicasAsync(client));
    }

    private static async Task<int> ReplicasAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/services/api")).GetProperty("replicas").GetInt32();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    /// <summary>Declares a length and would send zeros; with Expect: 100-continue it is not asked to.</summary>
    private sealed class DeclaredLengthContent : HttpContent
    {
        private readonly long _length;

        public DeclaredLengthContent(long length)
        {
            _length = length;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            for (var sent = 0L; sent < _length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, _length - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }
}
