namespace Slipway.Core.Manifest.Model;

/// <summary>Per-route timeouts of the proxy.</summary>
internal sealed record TimeoutsSpec
{
    public TimeSpan Connect { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Until the backend's response headers; then the proxy answers 504.</summary>
    public TimeSpan FirstByte { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest silence on a body or WebSocket before the connection is closed.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(300);
}
