using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>A site the edge serves from a directory (a built front end) instead of a process it runs.</summary>
internal sealed record StaticSpec : IValidatedSpec
{
    /// <summary>The directory, relative to the manifest; <c>${VERSION}</c> makes one directory per revision.</summary>
    [Required]
    public string Root { get; init; } = "";

    /// <summary>Answer an unknown extension-less page that accepts HTML with <see cref="Index"/> (a client-side router's routes).</summary>
    public bool Spa { get; init; }

    /// <summary>The file a directory answers with, and the SPA's page.</summary>
    public string Index { get; init; } = "index.html";

    public void Validate(SpecContext context)
    {
        var unknown = Primitives.Placeholders.Find(Root).Where(name => name != "VERSION").ToList();
        if (unknown.Count > 0)
        {
            context.Error("root", $"uses {string.Join(", ", unknown.Select(n => "${" + n + "}"))}; a static root can use only ${{VERSION}}");
        }

        if (Index.Length == 0 || Index.AsSpan().IndexOfAny('/', '\\', '\0') >= 0 || Index is "." or "..")
        {
            context.Error("index", $"must be a file name in the root, such as index.html (got {ScalarParsers.Quote(Index)})");
        }
    }

    /// <summary>The root for a version, absolute.</summary>
    public string RootFor(string manifestDirectory, string version) =>
        Path.GetFullPath(Path.Combine(manifestDirectory, Primitives.Placeholders.Expand(Root, new Dictionary<string, string> { ["VERSION"] = version })));
}
