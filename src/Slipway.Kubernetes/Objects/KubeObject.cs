using System.Text.Json.Nodes;

namespace Slipway.Kubernetes.Objects;

/// <summary>One rendered object: its whole body (apiVersion, kind, metadata, spec) as a JSON tree.</summary>
internal sealed record KubeObject(string ApiVersion, string Kind, string Name, JsonObject Body)
{
    /// <summary>An object with <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> first, as kubectl writes them.</summary>
    public static KubeObject Create(string apiVersion, string kind, JsonObject metadata, params (string Key, JsonNode? Value)[] rest)
    {
        var body = Json.Obj([("apiVersion", apiVersion), ("kind", kind), ("metadata", metadata), .. rest]);
        return new KubeObject(apiVersion, kind, (string)metadata["name"]!, body);
    }
}
