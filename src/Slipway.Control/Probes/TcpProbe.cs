using System.Net.Sockets;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Probes;

/// <summary>A TCP connect to the instance's port succeeds.</summary>
internal sealed class TcpProbe : IProbe
{
    private readonly TimeProvider _time;

    public TcpProbe(TimeProvider time) => _time = time;

    public string Name => "tcp";

    public bool Handles(ProbeSpec spec) => spec.Tcp;

    public async Task<ProbeResult> CheckAsync(ProbeSpec spec, ProbeTarget target, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(spec.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(target.Host, target.Port, linked.Token).ConfigureAwait(false);
            return ProbeResult.Pass($"connected to {target.Host}:{target.Port}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail($"no TCP connection to {target.Host}:{target.Port} within {Core.Primitives.DurationText.Format(spec.Timeout)}");
        }
        catch (SocketException e)
        {
            return ProbeResult.Fail($"TCP connect to {target.Host}:{target.Port} failed: {e.Message}");
        }
    }
}
