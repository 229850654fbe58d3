using Slipway.Core.Manifest.Yaml;

namespace Slipway.Core.Manifest;

/// <summary>
/// One problem with the manifest, at a place. <see cref="Path"/> is the key path the user
/// wrote (<c>services.api.replicas</c>); the message follows it as a sentence does.
/// </summary>
internal sealed record ManifestError(SourceMark Mark, string Path, string Message)
{
    /// <summary><c>slipway.yaml:14:7: services.api.replicas must be between 0 and 1000 (got -1)</c></summary>
    public string Format(string file) =>
        Path.Length == 0 ? $"{file}:{Mark}: {Message}" : $"{file}:{Mark}: {Path} {Message}";
}
