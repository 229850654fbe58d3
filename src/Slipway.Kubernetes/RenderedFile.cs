using System.Text;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes;

/// <summary>One file of the output: the objects of one kind (or the hook Jobs of one service), in a fixed order.</summary>
internal sealed record RenderedFile(string Path, IReadOnlyList<KubeObject> Objects)
{
    /// <summary>The objects as one multi-document YAML text.</summary>
    public string ToYaml()
    {
        var text = new StringBuilder();
        foreach (var obj in Objects)
        {
            text.Append("---\n").Append(YamlWriter.Write(obj.Body));
        }

        return text.ToString();
    }
}
