using System.Net;
using System.Security.Cryptography;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// Large uploads through the edge with the shop's configuration reach the web service's /echo and come back whole,
/// instead of hanging until a 504 once the answer outgrew the socket buffers (about 9 MB). The shop's own
/// maxRequestBody is 10MB; this copy raises it so the 50 and 100 MB uploads are bodies under the limit.
/// </summary>
public sealed class ShopUploadTests : IAsyncLifetime
{
    private readonly TempDirectory _state = new();
    private readonly string _manifest = RepositoryRoot.File("examples", "shop", $".test-{Guid.NewGuid():N}.yaml");
    private readonly int _edge = FreePort.Next();
    private SlipwayProcess? _daemon;

    public async Task InitializeAsync()
    {
        var text = (await File.ReadAllTextAsync(RepositoryRoot.File("examples", "shop", "slipway.yaml")))
            .Replace("127.0.0.1:8080", $"127.0.0.1:{_edge}", StringComparison.Ordinal)
            .Replace("9101", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("maxRequestBody: 10MB", "maxRequestBody: 128MB", StringComparison.Ordinal)
            .Replace("../demo-app/bin/Release/net10.0/demo-app.dll", BuildOutput.DemoApp, StringComparison.Ordinal);
        Assert.Contains("maxRequestBody: 128MB", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(_manifest, text);
        _daemon = new SlipwayProcess(RepositoryRoot.Path, "up", _manifest, "--state-dir", _state.Path, "--api", "127.0.0.1:0");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(100)]
    public async Task Echo_UploadThroughTheEdge_ComesBackWhole(int megabytes)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_edge}"), Timeout = TimeSpan.FromSeconds(120) };
        await WebReadyAsync(client);
        var body = RandomNumberGenerator.GetBytes(megabytes * 1024 * 1024);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new ByteArrayContent(body) };
        request.Headers.Host = "shop.localhost";
        using var response = await client.SendAsync(request);
        var echoed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, echoed.Length);
        Assert.True(SHA256.HashData(body).AsSpan().SequenceEqual(SHA256.HashData(echoed)), "the echo differs from the upload");
    }

    private async Task WebReadyAsync(HttpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
                request.Headers.Host = "shop.localhost";
                using var response = await client.SendAsync(request, timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.False(timeout.IsCancellationRequested || _daemon!.HasExited, $"the shop's web service never answered; output:\n{_daemon!.Output}\n{_daemon.Error}");
            await Task.Delay(250);
        }
    }

    public Task DisposeAsync()
    {
        _daemon?.Dispose();
        LeftoverInstances.Kill(_state.Path);
        File.Delete(_manifest);
        _state.Dispose();
        return Task.CompletedTask;
    }
}
