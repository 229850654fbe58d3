using Microsoft.Extensions.Hosting;

namespace Slipway.Server.Api;

/// <summary>The API host does not listen for Ctrl-C or SIGTERM itself: the daemon decides when it stops.</summary>
internal sealed class QuietLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
