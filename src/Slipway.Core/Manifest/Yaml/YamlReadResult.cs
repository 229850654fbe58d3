namespace Slipway.Core.Manifest.Yaml;

/// <summary>The document's root (null when it could not be read) and every problem found on the way.</summary>
internal sealed record YamlReadResult(YamlNode? Root, IReadOnlyList<ManifestError> Errors);
