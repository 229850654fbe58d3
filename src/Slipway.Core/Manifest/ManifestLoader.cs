using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Manifest.Validation;
using Slipway.Core.Manifest.Yaml;

namespace Slipway.Core.Manifest;

/// <summary>
/// Reads, binds and validates a manifest. It never throws for anything in the file: every
/// problem comes back as a <see cref="ManifestError"/> with its line and column.
/// </summary>
internal static class ManifestLoader
{
    /// <param name="time">For certificates' validity; the system clock unless a test moves it.</param>
    public static ManifestLoadResult LoadFile(string path, ManifestTarget target = ManifestTarget.Machine, TimeProvider? time = null)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : $"cannot be read: {e.Message}";
            return new ManifestLoadResult(path, null, [new ManifestError(SourceMark.Start, "", $"the manifest {reason}")]);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return Load(path, directory, YamlReader.Read(bytes), target, time ?? TimeProvider.System);
    }

    public static ManifestLoadResult LoadText(string text, string file = "slipway.yaml", string? directory = null, ManifestTarget target = ManifestTarget.Machine, TimeProvider? time = null) =>
        Load(file, directory ?? Directory.GetCurrentDirectory(), YamlReader.Read(text), target, time ?? TimeProvider.System);

    private static ManifestLoadResult Load(string file, string directory, YamlReadResult yaml, ManifestTarget target, TimeProvider time)
    {
        var errors = new List<ManifestError>(yaml.Errors);
        if (yaml.Root is null)
        {
            if (errors.Count == 0)
            {
                errors.Add(new ManifestError(SourceMark.Start, "", "the manifest is empty; it needs at least `app:` and `services:`"));
            }

            return new ManifestLoadResult(file, null, Sorted(errors));
        }

        var binder = new ManifestBinder(errors);
        var manifest = binder.Bind<AppManifest>(yaml.Root);
        if (manifest is not null && !binder.Exhausted)
        {
            manifest = StatefulDefaults.Apply(manifest, binder.Map);
            ManifestRules.Validate(manifest, directory, new SpecContext("", binder.Map, errors), target, time);
        }

        return new ManifestLoadResult(file, errors.Count == 0 ? manifest : null, Sorted(errors)) { Map = binder.Map };
    }

    private static List<ManifestError> Sorted(List<ManifestError> errors) =>
        errors.OrderBy(e => e.Mark.Line).ThenBy(e => e.Mark.Column).ThenBy(e => e.Path, StringComparer.Ordinal).Distinct().ToList();
}
