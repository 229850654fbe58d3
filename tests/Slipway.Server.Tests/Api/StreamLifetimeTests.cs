using System.Net;
using System.Text;
using Slipway.Server.Api;

namespace Slipway.Server.Tests.Api;

/// <summary>Open event and log streams over the real daemon: a revoked token's streams close at once, and a token holds only so many.</summary>
public sealed class StreamLifetimeTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public StreamLifetimeTests(DaemonFixture daemon) => _daemon = daemon;

    [Theory]
    [InlineData("/api/v1/events/stream")]
    [InlineData("/api/v1/logs/stream")]
    public async Task Stream_TokenRevoked_ClosesAtOnceSayingWhy(string path)
    {
        var name = "revoked-" + Guid.NewGuid().ToString("N")[..8];
        using var viewer = _daemon.Client(await _daemon.TokenAsync(name, "viewer"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await viewer.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);

        using (var admin = _daemon.Client(_daemon.AdminToken))
        {
            using var revoked = await admin.DeleteAsync($"/api/v1/tokens/{name}");
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        // The stream ends: everything it still sends is read, then end of stream, well before the timeout.
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // Closed by the server: as good as an end.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("the revoked token's stream stayed open");
        }

        Assert.Contains("event: end", received.ToString(), StringComparison.Ordinal);
        Assert.Contains($"token {name} was revoked", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_MoreThanATokenMayHold_429WhileTheOthersStayOpen()
    {
        using var viewer = _daemon.Client(await _daemon.TokenAsync("many-" + Guid.NewGuid().ToString("N")[..8], "viewer"));
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < StreamRegistry.DefaultPerToken; i++)
            {
                var response = await viewer.GetAsync("/api/v1/events/stream", HttpCompletionOption.ResponseHeadersRead);
                open.Add(response);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            using var refused = await viewer.GetAsync("/api/v1/events/stream", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains("close one first", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var response in open)
            {
                response.Dispose();
            }
        }
    }
}
