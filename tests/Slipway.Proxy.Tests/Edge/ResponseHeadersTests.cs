using System.Net;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Edge;

/// <summary><c>proxy.headers</c> on every response: the backend's, and the proxy's own answers.</summary>
public sealed class ResponseHeadersTests : IAsyncLifetime
{
    private static readonly ResponseHeaderOptions Secure = new()
    {
        Secure = true,
        Set = new Dictionary<string, string> { ["Permissions-Policy"] = "camera=()", ["X-Frame-Options"] = "SAMEORIGIN" },
        Remove = ["Server", "X-Powered-By"],
    };

    private TestBackend _backend = null!;

    public async Task InitializeAsync() =>
        _backend = await TestBackend.StartAsync("web", context =>
        {
            context.Response.Headers["Server"] = "Kestrel/secret-version";
            context.Response.Headers["X-Powered-By"] = "demo";
            if (context.Request.Path == "/own")
            {
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
                context.Response.Headers["Permissions-Policy"] = "geolocation=()";
            }

            return context.Response.WriteAsync("page");
        });

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<ProxyHarness> StartAsync(ResponseHeaderOptions headers, params EndpointModel[] endpoints) =>
        ProxyHarness.StartAsync(
            Table([Route("web#0", "web", path: "/")], Service("web", null, Revision("v1", 100, endpoints.Length == 0 ? [_backend.Endpoint()] : endpoints))),
            o => o with { Headers = headers, TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")] });

    private static string? One(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    [Fact]
    public async Task Secure_OnABackendResponse_PresetSetAndRemove()
    {
        await using var proxy = await StartAsync(Secure);
        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal("nosniff", One(response, "X-Content-Type-Options"));
        Assert.Equal("SAMEORIGIN", One(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", One(response, "Referrer-Policy"));
        Assert.Equal("camera=()", One(response, "Permissions-Policy"));
        Assert.Null(One(response, "Server"));
        Assert.Null(One(response, "X-Powered-By"));
        Assert.Null(One(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Secure_TheBackendsOwnValueWinsOverThePreset_ButNotOverSet()
    {
        await using var proxy = await StartAsync(Secure);
        using var response = await proxy.Client.GetAsync("/own");

        Assert.Equal("no-referrer", One(response, "Referrer-Policy"));
        Assert.Equal("camera=()", One(response, "Permissions-Policy"));
    }

    [Theory]
    [InlineData("/missing-route", 404)]
    [InlineData("/", 502)]
    public async Task Secure_OnTheProxysOwnAnswers(string path, int status)
    {
        var table = status == 404
            ? Table([Route("web#0", "web", host: "only.example")], Service("web", null, Revision("v1", 100, _backend.Endpoint())))
            : Table([Route("web#0", "web")], Service("web", null, Revision("v1", 100, Endpoint("dead", ProxyHarness.DeadPort()))));
        await using var proxy = await ProxyHarness.StartAsync(table, o => o with { Headers = Secure });
        using var response = await proxy.Client.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("nosniff", One(response, "X-Content-Type-Options"));
        Assert.Equal("SAMEORIGIN", One(response, "X-Frame-Options"));
        Assert.Equal("camera=()", One(response, "Permissions-Policy"));
    }

    [Fact]
    public async Task Hsts_OnlyWhenTheClientCameOverHttps()
    {
        await using var proxy = await StartAsync(Secure);
        using var plain = await proxy.Client.GetAsync("/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var behindTls = await proxy.Client.SendAsync(request);

        Assert.Null(One(plain, "Strict-Transport-Security"));
        Assert.Equal("max-age=31536000", One(behindTls, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task SecureAlone_DeniesFraming()
    {
        await using var proxy = await StartAsync(new ResponseHeaderOptions { Secure = true });
        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal("DENY", One(response, "X-Frame-Options"));
        Assert.Equal("Kestrel/secret-version", One(response, "Server"));
    }

    [Fact]
    public async Task None_LeavesTheBackendsHeadersAlone()
    {
        await using var proxy = await StartAsync(new ResponseHeaderOptions());
        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal("Kestrel/secret-version", One(response, "Server"));
        Assert.Null(One(response, "X-Content-Type-Options"));
    }
}
