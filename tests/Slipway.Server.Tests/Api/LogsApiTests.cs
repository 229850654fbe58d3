using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Cli;
using Slipway.Testing;

namespace Slipway.Server.Tests.Api;

/// <summary>
/// <c>/api/v1/logs</c> and <c>/logs/stream</c> over real HTTP, on the demo app's own JSON lines (it logs each request,
/// and each 5xx as <c>"level":"error"</c>), and the <c>logs</c> and <c>events</c> verbs as clients of them.
/// </summary>
public sealed class LogsApiTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public LogsApiTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task Logs_Filters_SelectByFieldLevelRevisionAndWindow()
    {
        var marker = "m" + Guid.NewGuid().ToString("N")[..12];
        var (port, instance) = await RunningInstanceAsync();
        using (var app = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            (await app.GetAsync($"http://127.0.0.1:{port}/{marker}")).Dispose();
            (await app.GetAsync($"http://127.0.0.1:{port}/status/500")).Dispose();
        }

        using var admin = _daemon.Client(_daemon.AdminToken);
        JsonElement found = default;
        await Wait.UntilAsync(async () =>
        {
            found = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/logs?service=api&revision=1&grep={marker}");
            return found.GetArrayLength() == 1;
        }, "the request line to be searchable");
        var line = found[0];
        Assert.Equal(("api", "1", instance, "info", "request", "stdout"),
            (Text(line, "service"), Text(line, "revision"), Text(line, "instance"), Text(line, "level"), Text(line, "message"), Text(line, "stream")));
        Assert.Contains(marker, Text(line, "text"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, line.GetProperty("loggedAt").ValueKind);

        await Wait.UntilAsync(async () =>
            (await admin.GetFromJsonAsync<JsonElement>("/api/v1/logs?level=error&grep=^/status/500$")).GetArrayLength() > 0, "the 500 to be logged as an error");
        var errors = await admin.GetFromJsonAsync<JsonElement>("/api/v1/logs?level=error");
        Assert.All(errors.EnumerateArray(), e => Assert.Equal("error", Text(e, "level")));
        Assert.Contains(errors.EnumerateArray(), e => Text(e, "message") == "request failed");

        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>($"/api/v1/logs?grep={marker}&revision=2")).EnumerateArray());
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>($"/api/v1/logs?grep={marker}&until=2000-01-01T00:00:00Z")).EnumerateArray());
        Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"/api/v1/logs?grep={marker}&since=1h")).EnumerateArray());
        var newest = await admin.GetFromJsonAsync<JsonElement>("/api/v1/logs?service=api&limit=1");
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/v1/logs?service=api&limit=100000");
        Assert.Equal(1, newest.GetArrayLength());
        Assert.True(all.GetArrayLength() > 1);
    }

    [Fact]
    public async Task Logs_BadFilters_400NamingEachFieldAnd404ForUnknownService()
    {
        using var admin = _daemon.Client(_daemon.AdminToken);
        using var response = await admin.GetAsync("/api/v1/logs?level=loud&grep=(unclosed&limit=0&since=yesterday&until=later");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["grep", "level", "limit", "since", "until"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));

        using var unknown = await admin.GetAsync("/api/v1/logs?service=payments");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("payments", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsStream_NewMatchingLine_ArrivesAsServerSentEvent()
    {
        var marker = "f" + Guid.NewGuid().ToString("N")[..12];
        var (port, instance) = await RunningInstanceAsync();
        using var viewer = _daemon.Client(await _daemon.TokenAsync("follower-" + marker, "viewer"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await viewer.GetAsync($"/api/v1/logs/stream?service=api&grep={marker}", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        using (var app = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            (await app.GetAsync($"http://127.0.0.1:{port}/{marker}", timeout.Token)).Dispose();
        }

        string? data = null;
        while (data is null && await reader.ReadLineAsync(timeout.Token) is { } text)
        {
            data = text.StartsWith("data: ", StringComparison.Ordinal) ? text["data: ".Length..] : null;
        }

        Assert.NotNull(data);
        using var line = JsonDocument.Parse(data);
        Assert.Equal("request", Text(line.RootElement, "message"));
        Assert.Contains(marker, Text(line.RootElement, "text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliClientStream_FollowedLines_HandedOverAsTheyArrive()
    {
        var marker = "s" + Guid.NewGuid().ToString("N")[..12];
        var (port, instance) = await RunningInstanceAsync();
        using var client = new Slipway.Cli.Client.ApiClient(_daemon.BaseAddress, _daemon.AdminToken);
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<Slipway.Server.Api.Contracts.LogLineResponse>();
        var following = client.StreamAsync<Slipway.Server.Api.Contracts.LogLineResponse>($"api/v1/logs/stream?grep={marker}", line =>
        {
            received.Add(line);
            done.Cancel();
            return Task.CompletedTask;
        }, done.Token);

        // Keep asking the app for the marker until the follow has seen it: the subscription may not be in place for the first.
        using (var app = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            while (!done.IsCancellationRequested)
            {
                (await app.GetAsync($"http://127.0.0.1:{port}/{marker}")).Dispose();
                await Task.WhenAny(following, Task.Delay(500));
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
        Assert.Contains(marker, received[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsAndEventsVerbs_AgainstDaemon_TableAndJson()
    {
        var marker = "c" + Guid.NewGuid().ToString("N")[..12];
        var (port, instance) = await RunningInstanceAsync();
        using (var app = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            (await app.GetAsync($"http://127.0.0.1:{port}/{marker}")).Dispose();
        }

        using var admin = _daemon.Client(_daemon.AdminToken);
        await Wait.UntilAsync(async () =>
            (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/logs?grep={marker}")).GetArrayLength() == 1, "the line to be stored");

        var (exit, json, _) = await Cli("logs", "--service", "api", "--grep", marker, "--output", "json");
        Assert.Equal(0, exit);
        using (var lines = JsonDocument.Parse(json))
        {
            Assert.Equal("request", Text(lines.RootElement.EnumerateArray().Single(), "message"));
        }

        (exit, var table, _) = await Cli("logs", "api", "--grep", marker, "--level", "info");
        Assert.Equal(0, exit);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z " + instance + @" INFO  request\n$", table);

        (exit, json, _) = await Cli("events", "--service", "api", "--output", "json");
        Assert.Equal(0, exit);
        using (var events = JsonDocument.Parse(json))
        {
            Assert.All(events.RootElement.EnumerateArray(), e => Assert.Equal("api", Text(e, "service")));
            Assert.NotEqual(0, events.RootElement.GetArrayLength());
        }

        (exit, _, var error) = await Cli("logs", "--level", "loud");
        Assert.Equal(2, exit);
        Assert.Contains("loud", error, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Out, string Error)> Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Task.Run(() => SlipwayCommand.Run([.. args, "--server", _daemon.BaseAddress, "--token", _daemon.AdminToken], stdout, stderr));
        return (exit, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString());
    }

    /// <summary>The fixture's service needs its secret to start: set it (once is enough) and wait for a ready instance.</summary>
    /// <summary>A ready instance's port and id (after a surge-first restart the replacement may hold another slot).</summary>
    private async Task<(int Port, string Id)> RunningInstanceAsync()
    {
        using var admin = _daemon.Client(_daemon.AdminToken);
        var secrets = await admin.GetStringAsync("/api/v1/secrets");
        if (!secrets.Contains(DaemonFixture.SecretName, StringComparison.Ordinal))
        {
            using var set = await admin.PutAsJsonAsync($"/api/v1/secrets/{DaemonFixture.SecretName}?restart=true", new { value = "logs-test" });
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var port = 0;
        var id = "";
        await Wait.UntilAsync(async () =>
        {
            var instances = await admin.GetFromJsonAsync<JsonElement>("/api/v1/instances");
            var ready = instances.EnumerateArray().FirstOrDefault(i => i.GetProperty("ready").GetBoolean());
            port = ready.ValueKind == JsonValueKind.Object ? ready.GetProperty("port").GetInt32() : 0;
            id = port > 0 ? ready.GetProperty("id").GetString()! : "";
            return port > 0;
        }, "a ready instance of api");
        return (port, id);
    }

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString() ?? "";
}
