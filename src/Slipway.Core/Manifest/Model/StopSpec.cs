namespace Slipway.Core.Manifest.Model;

/// <summary>
/// How an instance leaves: out of routing, then up to <see cref="DrainTimeout"/> for its
/// requests to finish, then SIGTERM, then SIGKILL after <see cref="GracePeriod"/>.
/// </summary>
internal sealed record StopSpec
{
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}
