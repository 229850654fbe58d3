using Slipway.Testing;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Slipway.DemoApp.Tests;

public sealed class HttpEndpointTests
{
    [Fact]
    public async Task Root_VersionAndInstanceSet_BodyAndHeadersNameThem()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string>
        {
            ["DEMO_VERSION"] = "2",
            ["DEMO_INSTANCE"] = "api-2-1",
        });

        using var root = await app.Http.GetAsync("/");
        using var health = await app.Http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("demo-app version 2 instance api-2-1\n", await root.Content.ReadAsStringAsync());
        Assert.Equal("2", Assert.Single(root.Headers.GetValues("X-Demo-Version")));
        Assert.Equal("api-2-1", Assert.Single(root.Headers.GetValues("X-Demo-Instance")));
        Assert.Equal("2", Assert.Single(health.Headers.GetValues("X-Demo-Version")));
    }

    [Fact]
    public async Task Metrics_AfterInjectedFailures_CountsThemAndIsNeverFailedItself()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_FAIL_RATE"] = "1" });
        for (var i = 0; i < 2; i++)
        {
            using var failed = await app.Http.GetAsync("/pay");
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        using var metrics = await app.Http.GetAsync("/metrics");
        var text = await metrics.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType?.ToString());
        Assert.Contains("demo_requests_total{code=\"5xx\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("demo_requests_total{code=\"2xx\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("demo_payments_failed_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("demo_request_duration_seconds_count 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_PaymentFailRate_CountsFailedPaymentsWhileAnswering200()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_PAYMENT_FAIL_RATE"] = "100%" });
        for (var i = 0; i < 3; i++)
        {
            using var paid = await app.Http.GetAsync("/pay");
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        }

        var text = await app.Http.GetStringAsync("/metrics");

        Assert.Contains("demo_requests_total{code=\"2xx\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("demo_payments_total 3\n", text, StringComparison.Ordinal);
        Assert.Contains("demo_payments_failed_total 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_NothingSet_VersionOneAndInstanceFromSupervisor()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["SLIPWAY_INSTANCE"] = "web-7" });

        var body = await app.Http.GetStringAsync("/");

        Assert.Equal("demo-app version 1 instance web-7\n", body);
    }

    [Fact]
    public async Task Flags_GivenWithEnvironment_FlagsWin()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(
            new Dictionary<string, string> { ["DEMO_VERSION"] = "from-env" },
            "--version", "from-flag", "--instance=flagged");

        var body = await app.Http.GetStringAsync("/");

        Assert.Equal("demo-app version from-flag instance flagged\n", body);
    }

    [Fact]
    public async Task Port_Zero_ListensOnAPortTheLogNames()
    {
        await using var app = DemoAppProcess.Start(new Dictionary<string, string> { ["PORT"] = "0" });

        var listening = await app.WaitForLogAsync("listening");
        var port = listening.GetProperty("port").GetInt32();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = DemoAppProcess.Timeout };

        Assert.NotEqual(0, port);
        Assert.Equal("ok\n", await http.GetStringAsync("/health"));
    }

    [Fact]
    public async Task Urls_Flag_OverridesPort()
    {
        // The manifest's usual shape: args ["--urls", "http://127.0.0.1:${PORT}"].
        var port = FreePort.Next();
        await using var app = DemoAppProcess.Start(null, "--urls", $"http://127.0.0.1:{port}");

        var listening = await app.WaitForLogAsync("listening");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = DemoAppProcess.Timeout };

        Assert.Equal(port, listening.GetProperty("port").GetInt32());
        Assert.Equal("ok\n", await http.GetStringAsync("/health"));
    }

    [Fact]
    public async Task Fallback_UnknownPath_AnswersLikeRoot()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_INSTANCE"] = "a" });

        var body = await app.Http.GetStringAsync("/api/orders/7");

        Assert.Equal("demo-app version 1 instance a\n", body);
    }

    [Fact]
    public async Task Status_Code_AnswersThatStatus()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();

        using var teapot = await app.Http.GetAsync("/status/418");
        using var unavailable = await app.Http.PostAsync("/status/503", null);
        using var invalid = await app.Http.GetAsync("/status/abc");

        Assert.Equal((HttpStatusCode)418, teapot.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task Env_SetAndUnset_ValueOr404()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["INJECTED_SECRET"] = "s3cret value" });

        using var set = await app.Http.GetAsync("/env/INJECTED_SECRET");
        using var unset = await app.Http.GetAsync("/env/NOT_SET_ANYWHERE");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("s3cret value", await set.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unset.StatusCode);
    }

    [Fact]
    public async Task Headers_CustomHeaders_ReturnedAsJsonWithLowerCaseNames()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Multi", ["a", "b"]);

        using var response = await app.Http.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("203.0.113.7", json.RootElement.GetProperty("x-forwarded-for").GetString());
        Assert.Equal("a, b", json.RootElement.GetProperty("x-multi").GetString());
        Assert.Equal($"127.0.0.1:{app.Port}", json.RootElement.GetProperty("host").GetString());
    }

    [Fact]
    public async Task Request_Query_DescribesWhatArrived()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();

        using var response = await app.Http.PutAsync("/request?x=1", new StringContent("body"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("PUT", json.RootElement.GetProperty("method").GetString());
        Assert.Equal("/request", json.RootElement.GetProperty("path").GetString());
        Assert.Equal("?x=1", json.RootElement.GetProperty("query").GetString());
        Assert.Equal("127.0.0.1", json.RootElement.GetProperty("remoteIp").GetString());
        Assert.Equal("4", json.RootElement.GetProperty("headers").GetProperty("content-length").GetString());
    }

    [Fact]
    public async Task Bytes_N_ExactlyNBytesOfTheAlphabet()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();
        const int n = 100_003;

        using var response = await app.Http.GetAsync($"/bytes?n={n}");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(n, response.Content.Headers.ContentLength);
        Assert.Equal(n, body.Length);
        Assert.All(Enumerable.Range(0, n), i => Assert.Equal((byte)('a' + (i % 26)), body[i]));
    }

    [Fact]
    public async Task Burn_Milliseconds_TakesAtLeastThatLong()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();
        var started = Stopwatch.GetTimestamp();

        using var response = await app.Http.GetAsync("/burn?ms=200");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Sleep_BadQuery_Answers400()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();

        using var response = await app.Http.GetAsync("/sleep?ms=soon");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task LogRequests_True_OneLinePerRequest()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_LOG_REQUESTS"] = "true" });

        await app.Http.GetStringAsync("/status/201");

        var line = await app.WaitForLogAsync("request");
        Assert.Equal("info", line.GetProperty("level").GetString());
        Assert.Equal("GET", line.GetProperty("method").GetString());
        Assert.Equal("/status/201", line.GetProperty("path").GetString());
        Assert.Equal(201, line.GetProperty("status").GetInt32());
    }
}
