namespace Slipway.Server;

/// <summary>What <c>slipway up</c> / <c>serve</c> was asked to run.</summary>
internal sealed record DaemonOptions
{
    public required string ManifestPath { get; init; }

    /// <summary>Defaults to <c>.slipway/</c> beside the manifest.</summary>
    public string? StateDirectory { get; init; }

    public IReadOnlyDictionary<string, string> VersionOverrides { get; init; } = new Dictionary<string, string>();

    public string ResolvedStateDirectory => Path.GetFullPath(StateDirectory ?? DefaultStateDirectory(ManifestPath));

    public static string DefaultStateDirectory(string manifestPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? ".", ".slipway");
}
