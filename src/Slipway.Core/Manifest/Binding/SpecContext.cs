namespace Slipway.Core.Manifest.Binding;

/// <summary>Where a section is, and where its rule errors go. Errors point at the key they name.</summary>
internal sealed class SpecContext(string path, SourceMap map, List<ManifestError> errors)
{
    public string Path { get; } = path;

    public SourceMap Map { get; } = map;

    /// <summary>The full path of <paramref name="key"/> under this section.</summary>
    public string PathOf(string key) => Path.Length == 0 ? key : key.StartsWith('[') ? Path + key : $"{Path}.{key}";

    /// <summary>Was <paramref name="key"/> written in the file (rather than left to its default)?</summary>
    public bool IsWritten(string key) => Map.Contains(PathOf(key));

    /// <summary>
    /// An error at <paramref name="key"/>, unless that key already has one: a value that
    /// could not be read is reported once, not again by every rule that looks at it.
    /// </summary>
    public void Error(string key, string message) => Add(PathOf(key), message);

    /// <summary>An error about the section as a whole.</summary>
    public void Error(string message) => Add(Path, message);

    private void Add(string path, string message)
    {
        if (!errors.Exists(e => e.Path == path))
        {
            errors.Add(new ManifestError(Map.Find(path), path, message));
        }
    }

    public SpecContext Under(string key) => new(PathOf(key), Map, errors);
}
