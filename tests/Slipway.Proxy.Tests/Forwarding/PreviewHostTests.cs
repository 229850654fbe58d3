using System.Net;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Forwarding;

/// <summary>The preview host's routes reach only the rollout's new revision; without a rollout they answer 404.</summary>
public sealed class PreviewHostTests
{
    private const string PreviewHost = "preview.example.test";

    /// <summary>A catch-all route on v1, and its copy on the preview host, as the rollout composer builds them.</summary>
    private static RoutingTable Table(string? previewRevision, params RevisionModel[] revisions) => Tables.Table(
        [Route("api#0", "api"), Route("api#0-preview", "api", host: PreviewHost, policy: RoutePolicy.Default with { Preview = true })],
        Service("api", ServicePolicy.Default with { StableRevision = "v1", PreviewRevision = previewRevision }, revisions));

    [Fact]
    public async Task Get_OnPreviewHostDuringRollout_ReachesTheNewRevisionWhileOthersStayOnCurrent()
    {
        await using var current = await TestBackend.StartNamedAsync("current");
        await using var next = await TestBackend.StartNamedAsync("next");
        await using var proxy = await ProxyHarness.StartAsync(Table("v2", Revision("v1", 100, current.Endpoint()), Revision("v2", 0, next.Endpoint())));

        var previewed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
            request.Headers.Host = PreviewHost + ":8080";
            using var response = await proxy.Client.SendAsync(request);
            previewed.Add(await response.Content.ReadAsStringAsync());
        }

        using var plain = await proxy.Client.GetAsync("/orders");

        Assert.All(previewed, body => Assert.Equal("next", body));
        Assert.Equal("current", await plain.Content.ReadAsStringAsync());
        Assert.Contains(proxy.Sink.Samples, s => s is { Revision: "v2", Route: "api#0-preview" });
    }

    [Fact]
    public async Task Get_OnPreviewHostWithoutRollout_404NotTheCurrentRevision()
    {
        await using var current = await TestBackend.StartNamedAsync("current");
        await using var proxy = await ProxyHarness.StartAsync(Table(null, Revision("v1", 100, current.Endpoint())));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = PreviewHost;

        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nothing to preview", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, current.Requests);
    }

    [Fact]
    public async Task Get_OnPreviewHostBeforeTheNewRevisionIsReady_503()
    {
        await using var current = await TestBackend.StartNamedAsync("current");
        await using var proxy = await ProxyHarness.StartAsync(Table("v2", Revision("v1", 100, current.Endpoint())));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = PreviewHost;

        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, current.Requests);
    }

    [Fact]
    public async Task Get_OnPreviewHostFailing_IsNotShieldedOntoStable()
    {
        await using var current = await TestBackend.StartNamedAsync("current");
        await using var next = await TestBackend.StartAsync("next", context =>
        {
            context.Response.StatusCode = 500;
            return context.Response.WriteAsync("broken");
        });
        await using var proxy = await ProxyHarness.StartAsync(Table("v2", Revision("v1", 100, current.Endpoint()), Revision("v2", 0, next.Endpoint())));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = PreviewHost;

        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(0, current.Requests);
    }
}
