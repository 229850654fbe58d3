using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;

namespace Slipway.Core.Manifest;

/// <summary>The manifest when it is valid; otherwise every error, in file order.</summary>
internal sealed record ManifestLoadResult(string File, AppManifest? Manifest, IReadOnlyList<ManifestError> Errors)
{
    public bool IsValid => Manifest is not null && Errors.Count == 0;

    /// <summary>Where each key was written, for later messages about a valid manifest (what a renderer cannot carry over).</summary>
    public SourceMap? Map { get; init; }

    public IEnumerable<string> FormattedErrors => Errors.Select(e => e.Format(File));
}
