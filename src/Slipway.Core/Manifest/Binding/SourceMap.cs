using Slipway.Core.Manifest.Yaml;

namespace Slipway.Core.Manifest.Binding;

/// <summary>Where each key path of the manifest was written, so later rules can point at it.</summary>
internal sealed class SourceMap
{
    private readonly Dictionary<string, SourceMark> _marks = new(StringComparer.Ordinal);

    public void Add(string path, SourceMark mark) => _marks.TryAdd(path, mark);

    /// <summary>The mark of <paramref name="path"/>, or of its nearest written ancestor.</summary>
    public SourceMark Find(string path)
    {
        var candidate = path;
        while (candidate.Length > 0)
        {
            if (_marks.TryGetValue(candidate, out var mark))
            {
                return mark;
            }

            var cut = Math.Max(candidate.LastIndexOf('.'), candidate.LastIndexOf('['));
            candidate = cut > 0 ? candidate[..cut] : "";
        }

        return _marks.TryGetValue("", out var root) ? root : SourceMark.Start;
    }

    public bool Contains(string path) => _marks.ContainsKey(path);

    /// <summary>Every key path written in the file.</summary>
    public IEnumerable<string> Paths => _marks.Keys;
}
