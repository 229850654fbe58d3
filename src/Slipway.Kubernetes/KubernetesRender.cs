using System.Text;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes;

/// <summary>
/// What <see cref="KubernetesRenderer"/> made of a manifest: files of objects, notes for stderr, and errors that
/// stop the render (nothing is written then).
/// </summary>
internal sealed record KubernetesRender(IReadOnlyList<RenderedFile> Files, IReadOnlyList<RenderNote> Notes, IReadOnlyList<RenderNote> Errors)
{
    /// <summary>The folder the hook Jobs go in: run by hand, so <c>kubectl apply -f DIR</c> (not recursive) leaves them out.</summary>
    public const string HooksFolder = "hooks";

    public bool Succeeded => Errors.Count == 0;

    public IEnumerable<KubeObject> Objects => Files.SelectMany(f => f.Objects);

    /// <summary>The objects <c>kubectl apply -f -</c> should get: every file but the hooks.</summary>
    public string ToStream() => string.Concat(Files.Where(f => !IsHook(f)).Select(f => f.ToYaml()));

    /// <summary>Every file with its path in a comment: what the golden files hold.</summary>
    public string ToListing()
    {
        var text = new StringBuilder();
        foreach (var file in Files)
        {
            text.Append("# file: ").Append(file.Path).Append('\n').Append(file.ToYaml());
        }

        return text.ToString();
    }

    public static bool IsHook(RenderedFile file) => file.Path.StartsWith(HooksFolder + "/", StringComparison.Ordinal);
}
