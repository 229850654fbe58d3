using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Slipway.Testing;
using Xunit.Abstractions;

namespace Slipway.EndToEnd.Tests.Examples;

/// <summary>
/// examples/supernova from nothing: WebSockets pinned to one server per client address (ip_hash), the API's and the
/// login's rate limits per client, Redis behind its password, the React front end as a static site, and the API's and
/// then the front end's blue-green deploys under load with no failed request; then a clean stop.
/// </summary>
[Collection(ExamplesCollection.Name)]
public sealed class SupernovaExampleTests(ITestOutputHelper output)
{
    private const string RedisPassword = "supernova-redis-e2e";

    [Fact]
    public async Task Up_Supernova_WebSocketsPinnedByClientAddressAndTheApiAndFrontEndSwitchBlueGreenUnderLoad()
    {
        await using var example = new ExampleDaemon("supernova", new Dictionary<string, string> { ["DB_PASSWORD"] = "supernova-e2e", ["REDIS_PASSWORD"] = RedisPassword },
            // `deploy --wait` follows the old set's warm period too: ten minutes are two seconds here.
            ("scaleDownDelay: 10m", "scaleDownDelay: 2s"), ("scaleDownDelay: 5m", "scaleDownDelay: 2s"));
        await example.StartAsync();
        await example.UntilReadyAsync(new Dictionary<string, int> { ["db"] = 1, ["cache"] = 1, ["api"] = 3, ["ws"] = 3 }, seconds: 180);

        using var client = example.Client();
        await StaticFrontEnd.AssertServedAsync(example, client, "/dashboard", "SuperNova AI v1");
        using (var models = await example.UntilOkAsync(client, "/api/models"))
        {
            Assert.StartsWith("api-", models.Headers.GetValues("X-Demo-Instance").Single(), StringComparison.Ordinal);
        }

        // ip_hash: every connection of one client address lands on the same server; different clients spread.
        var servers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var address in Enumerable.Range(1, 8).Select(i => $"198.51.100.{i * 17}"))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 3; i++)
            {
                seen.Add(await WebSocketServerAsync(example.Edge, address));
            }

            var server = Assert.Single(seen);
            Assert.StartsWith("ws-", server, StringComparison.Ordinal);
            servers.Add(server);
        }

        Assert.True(servers.Count > 1, "eight client addresses all hashed to " + string.Join(", ", servers));

        // The login's 5 a minute (burst 5) per client: the sixth try from one address is refused, another address is not.
        var logins = new List<HttpStatusCode>();
        foreach (var address in Enumerable.Repeat("203.0.113.5", 6).Append("203.0.113.6"))
        {
            using var login = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = new StringContent("user=a") };
            login.Headers.Add("X-Forwarded-For", address);
            using var response = await client.SendAsync(login);
            logins.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.OK], logins);

        // Redis asks for its password (given on stdin, so never in the process list).
        var port = example.Port(56379).ToString(CultureInfo.InvariantCulture);
        var (_, refused) = await ExternalTool.RunAsync("redis-cli", ["-p", port, "ping"]);
        Assert.Contains("NOAUTH", refused, StringComparison.Ordinal);
        var (_, pong) = await ExternalTool.RunAsync("redis-cli", ["-p", port, "--no-auth-warning", "-a", RedisPassword, "ping"]);
        Assert.Equal("PONG", pong.Trim());

        var load = new LoadGenerator(new Uri(example.Edge, "/api/"), manyClients: true);
        int exit;
        string deploy;
        await using (load)
        {
            (exit, deploy) = await example.CliAsync("deploy", "api", "--version", "2", "--wait", "--reason", "e2e");
        }

        output.WriteLine(load.Report());
        Assert.True(exit == 0, deploy);
        Assert.True(load.Failures == 0, load.Report());
        Assert.True(load.Answers.ContainsKey("2"), "version 2 never answered");

        await StaticFrontEnd.DeployUnderLoadAsync(example, output, "web", "2");

        await example.StopCleanAsync();
    }

    /// <summary>Opens a WebSocket through the edge as the client <paramref name="address"/>, echoes once; the server that answered.</summary>
    private static async Task<string> WebSocketServerAsync(Uri edge, string address)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Forwarded-For", address);
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(new Uri($"ws://{edge.Authority}/ws"), timeout.Token);
        var server = socket.HttpResponseHeaders!["X-Demo-Instance"].Single();
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        return server;
    }
}
