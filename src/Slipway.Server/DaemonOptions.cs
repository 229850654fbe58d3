using Slipway.Core.Manifest.Model;

namespace Slipway.Server;

/// <summary>What <c>slipway up</c> / <c>serve</c> was asked to run.</summary>
internal sealed record DaemonOptions
{
    public required string ManifestPath { get; init; }

    /// <summary>Defaults to <c>.slipway/</c> beside the manifest.</summary>
    public string? StateDirectory { get; init; }

    public IReadOnlyDictionary<string, string> VersionOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--api HOST:PORT</c>: the control API's own listener (loopback by default; port 0 picks a free one).</summary>
    public HostPort Api { get; init; } = DefaultApi;

    public static HostPort DefaultApi { get; } = new("127.0.0.1", 7700);

    /// <summary><c>--takeover</c>: take the listeners and instances over from the daemon running on the state directory.</summary>
    public bool Takeover { get; init; }

    /// <summary>A stand-in clock for the API's failed-authentication slow-down; the daemon's clock when null.</summary>
    public Auth.AuthFailureLimiter? AuthLimiter { get; init; }

    /// <summary>Below this much free space on the state directory's disk, changes are refused (507): see <see cref="Control.State.StateDisk"/>.</summary>
    public long DiskReserveBytes { get; init; } = Control.State.StateDisk.DefaultReserveBytes;

    /// <summary>Where routing tables go and in-flight counts come from; null hosts the manifest's edge proxy.</summary>
    public DataPlane? DataPlane { get; init; }

    /// <summary>
    /// Where the daemon reads its own settings from the environment (the master key): the process's, or what
    /// <see cref="DaemonHardening.Apply"/> took out of it.
    /// </summary>
    public Func<string, string?> Environment { get; init; } = Core.Configuration.EnvironmentVariables.Get;

    public string ResolvedStateDirectory => Path.GetFullPath(StateDirectory ?? DefaultStateDirectory(ManifestPath));

    public static string DefaultStateDirectory(string manifestPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? ".", ".slipway");
}
