using System.Text.Json.Nodes;
using Slipway.Core.Manifest;
using Slipway.Kubernetes.Tests.Validation;
using Slipway.Testing;

namespace Slipway.Kubernetes.Tests;

/// <summary>Renders manifests for the tests, as <c>slipway render kubernetes</c> does (with the source map, so notes name written keys).</summary>
internal static class Rendering
{
    public static KubernetesRender Render(string yaml, string? directory = null)
    {
        var result = ManifestLoader.LoadText(yaml.ReplaceLineEndings("\n"), "slipway.yaml", directory ?? Path.GetTempPath(), ManifestTarget.Kubernetes);
        Assert.True(result.IsValid, string.Join("\n", result.FormattedErrors));
        return KubernetesRenderer.Render(result.Manifest!, result.Map);
    }

    public static KubernetesRender RenderFile(string path)
    {
        var result = ManifestLoader.LoadFile(path, ManifestTarget.Kubernetes);
        Assert.True(result.IsValid, string.Join("\n", result.FormattedErrors));
        return KubernetesRenderer.Render(result.Manifest!, result.Map);
    }

    /// <summary>Every object of every file (hooks included), read back from the YAML bytes as the API server would read them.</summary>
    public static List<JsonObject> ReadBack(KubernetesRender render) =>
        [.. render.Files.SelectMany(f => CrdSchemas.ReadStream(f.ToYaml()))];

    public static string Shop => RepositoryRoot.File("examples", "shop", "slipway.yaml");
}
