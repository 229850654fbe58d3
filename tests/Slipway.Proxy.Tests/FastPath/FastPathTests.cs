using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>Which requests the fast path takes, how it hands the others over, and its own backend connections.</summary>
public sealed class FastPathTests
{
    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Get_OnAnHttp1Listener_IsForwardedByTheFastPathWithTheConnectionsScheme(string transport)
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: transport);

        using var response = await proxy.Client.GetAsync("/hello?x=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, proxy.Proxy.Counters.FastPath);
        var forwarded = Assert.Single(backend.Requests);
        Assert.StartsWith("GET /hello?x=1 HTTP/1.1\r\n", forwarded, StringComparison.Ordinal);
        Assert.Contains($"\r\nX-Forwarded-Proto: {transport}\r\n", forwarded, StringComparison.Ordinal);
        var sample = Assert.Single(proxy.Sink.Samples);
        Assert.Equal((200, "api", "v1", "raw", 2L), (sample.StatusCode, sample.Service, sample.Revision, sample.EndpointId, sample.ResponseBytes));
    }

    /// <summary>A reset between requests is a client leaving (wrk resets all its connections when it stops): no error logged.</summary>
    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Client_ResetBetweenRequests_EndsTheConnectionWithoutAnError(string transport)
    {
        var logs = new FakeLogCollector();
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(
            Single("api", null, null, backend.Endpoint()),
            o => o with { LoggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs))) },
            transport: transport);
        await using var raw = await proxy.ConnectAsync();
        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.EndsWith("\r\n\r\nok", await raw.ReadUntilAsync("\r\n\r\nok"), StringComparison.Ordinal);

        raw.Reset();

        await Wait.UntilAsync(
            () => logs.GetSnapshot().Any(r => r.Id.Name == "ConnectionStop"), "Kestrel to end the connection", seconds: 10);
        Assert.Equal(1, proxy.Proxy.Counters.FastPath);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Get_EngineGeneral_NeverTakesTheFastPath(string transport)
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), o => o with { Engine = ProxyEngine.General }, transport: transport);

        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, proxy.Proxy.Counters.FastPath);
        Assert.Equal(1, proxy.Proxy.Counters.Requests);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Get_WithResponseHeadersConfigured_TakesTheGeneralPath(string transport)
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(
            Single("api", null, null, backend.Endpoint()), o => o with { Headers = new Slipway.Proxy.Edge.ResponseHeaderOptions { Secure = true } }, transport: transport);

        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(0, proxy.Proxy.Counters.FastPath);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Requests_OnOneClientConnection_ReuseOneBackendConnection(string transport)
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: transport);

        for (var i = 0; i < 5; i++)
        {
            using var response = await proxy.Client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(5, proxy.Proxy.Counters.FastPath);
        Assert.Equal(1, backend.Connections);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task RequestOutsideTheFastPath_AfterAFastOne_IsHandedWithTheConnectionToTheGeneralPath(string transport)
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: transport);
        await using var raw = await proxy.ConnectAsync();

        await raw.SendAsync("GET /one HTTP/1.1\r\nHost: h\r\n\r\n");
        var first = await raw.ReadUntilAsync("ok");
        // A chunk extension: Kestrel reads it, the fast path leaves it.
        await raw.SendAsync("POST /two HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext\r\nhello\r\n0\r\n\r\n");
        var second = await raw.ReadUntilAsync("ok");
        await raw.SendAsync("GET /three HTTP/1.1\r\nHost: h\r\n\r\n");
        var third = await raw.ReadUntilAsync("ok");

        Assert.All([first, second, third], answer => Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal));
        Assert.Equal(1, proxy.Proxy.Counters.FastPath);
        Assert.Equal(3, proxy.Proxy.Counters.Requests);
        Assert.Equal(["/one", "/two", "/three"], backend.Requests.Select(r => r.Split(' ')[1]));
        Assert.EndsWith("\r\n\r\n5\r\nhello\r\n0\r\n\r\n", backend.Requests.ElementAt(1), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task PipelinedRequestsWithBodies_AreForwardedWholeOverOneBackendConnection(string transport)
    {
        await using var backend = RawBackend.Start(head => RawAnswer.Of($"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n{head.Split(' ')[1]}"));
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: transport);
        await using var raw = await proxy.ConnectAsync();

        await raw.SendAsync(
            "POST /aa1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc" +
            "PUT /bb2 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n" +
            "GET /cc3 HTTP/1.1\r\nHost: h\r\n\r\n");
        var answers = await raw.ReadUntilAsync("/cc3");

        Assert.Equal(3, answers.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.Equal(3, proxy.Proxy.Counters.FastPath);
        Assert.Equal(1, backend.Connections);
        var requests = backend.Requests.ToArray();
        Assert.EndsWith("\r\n\r\nabc", requests[0], StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 3\r\n", requests[0], StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n3\r\ndef\r\n0\r\n\r\n", requests[1], StringComparison.Ordinal);
        Assert.Contains("Transfer-Encoding: chunked\r\n", requests[1], StringComparison.Ordinal);
        Assert.StartsWith("GET /cc3 ", requests[2], StringComparison.Ordinal);
        Assert.Contains(proxy.Sink.Samples, s => s.RequestBytes == 3);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task EndpointLeavesTheTable_ItsIdlePooledConnectionIsClosed(string transport)
    {
        await using var old = RawBackend.StartOk();
        await using var replacement = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, old.Endpoint("old")), transport: transport);
        using (var response = await proxy.Client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, old.OpenConnections);
        proxy.Proxy.Publisher.Publish(Single("api", null, null, replacement.Endpoint("new")));

        await Wait.UntilAsync(() => old.OpenConnections == 0, "the removed endpoint's idle connection to be closed", seconds: 10);
        using var next = await proxy.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, replacement.Connections);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task PipelinedRequests_AreAnsweredInOrder(string transport)
    {
        await using var backend = RawBackend.Start(head => RawAnswer.Of($"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n{head.Split(' ')[1]}"));
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: transport);
        await using var raw = await proxy.ConnectAsync();

        await raw.SendAsync("GET /aa1 HTTP/1.1\r\nHost: h\r\n\r\nGET /bb2 HTTP/1.1\r\nHost: h\r\n\r\nGET /cc3 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        var answers = await raw.ReadUntilAsync("/cc3");

        Assert.True(answers.IndexOf("/aa1", StringComparison.Ordinal) < answers.IndexOf("/bb2", StringComparison.Ordinal));
        Assert.True(answers.IndexOf("/bb2", StringComparison.Ordinal) < answers.IndexOf("/cc3", StringComparison.Ordinal));
        Assert.Contains("Connection: close", answers, StringComparison.Ordinal);
        Assert.Equal(3, proxy.Proxy.Counters.FastPath);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Get_RouteWithEdgeSteps_TakesTheGeneralPath(string transport)
    {
        await using var backend = RawBackend.StartOk();
        var policy = RoutePolicy.Default with { Deny = [IPNetwork.Parse("10.0.0.0/8")] };
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, policy, backend.Endpoint()), transport: transport);

        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, proxy.Proxy.Counters.FastPath);
    }
}
