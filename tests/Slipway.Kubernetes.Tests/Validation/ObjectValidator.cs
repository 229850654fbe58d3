using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Kubernetes.Tests.Validation;

/// <summary>
/// Every check a rendered object must pass offline: names and labels as Kubernetes checks them (DNS-1123), the strict
/// unknown-field check (KubernetesClient for core kinds, the CRDs' schemas for the rest), and the kubernetes-models
/// packages' schemas (types, required fields, formats) run by node. A tool that is missing fails the test.
/// </summary>
internal static class ObjectValidator
{
    public static string SchemasDirectory => RepositoryRoot.File("tests", "Slipway.Kubernetes.Tests", "Schemas");

    /// <summary>Every problem of every object, each on its own line; empty when all pass.</summary>
    public static async Task<List<string>> ValidateAsync(IReadOnlyList<JsonObject> objects)
    {
        var problems = new List<string>();
        foreach (var obj in objects)
        {
            var apiVersion = (string)obj["apiVersion"]!;
            var kind = (string)obj["kind"]!;
            problems.AddRange(Names(obj));
            if (StrictCoreKinds.Knows(apiVersion, kind))
            {
                problems.AddRange(StrictCoreKinds.Validate(obj) is { } problem ? [problem] : []);
            }
            else if (CrdSchemas.Knows(apiVersion, kind))
            {
                problems.AddRange(CrdSchemas.Validate(obj));
                problems.AddRange(StrictCoreKinds.Validate(obj) is { } embedded ? [embedded] : []);
            }
            else if (kind != "ExternalSecret")
            {
                // ExternalSecret's CRD is not among ../shared/k8s-crds: only kubernetes-models checks it (Schemas/README.md).
                problems.Add($"{kind}/{obj["metadata"]?["name"]}: no strict schema for {apiVersion}");
            }
        }

        problems.AddRange(await NodeSchemasAsync(objects));
        return problems;
    }

    public static async Task<List<string>> NodeSchemasAsync(IReadOnlyList<JsonObject> objects)
    {
        var node = ExternalTool.Require("node", "nodejs");
        if (!Directory.Exists(Path.Combine(SchemasDirectory, "node_modules", "kubernetes-models")))
        {
            throw new InvalidOperationException($"the schema packages are not installed: ./test.sh runs `npm ci` in {SchemasDirectory}");
        }

        var (exit, output) = await ExternalTool.RunAsync(node, [Path.Combine(SchemasDirectory, "validate.mjs")], new JsonArray([.. objects.Select(o => o.DeepClone())]).ToJsonString(), seconds: 120);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (exit == 0 && lines.Count > 0 && lines[^1] == $"validated {objects.Count} objects, 0 problems")
        {
            return [];
        }

        return lines.Count == 0 ? [$"validate.mjs exited {exit} and said nothing"] : lines;
    }

    /// <summary>DNS-1123 names (a Service's and a Namespace's an RFC 1035/1123 label), label keys and values, container and port names.</summary>
    public static IEnumerable<string> Names(JsonObject obj)
    {
        var kind = (string)obj["kind"]!;
        var name = (string?)obj["metadata"]?["name"] ?? "";
        var where = $"{kind}/{name}";
        var label = kind is "Service" or "Namespace" || kind == "CronJob";
        if (label ? !KubernetesNames.IsDnsLabel(name) || (kind == "Service" && !char.IsAsciiLetter(name[0])) : !KubernetesNames.IsDnsSubdomain(name))
        {
            yield return $"{where}: the name is not a DNS-1123 {(label ? "label" : "subdomain")}";
        }

        if (kind == "CronJob" && name.Length > 52)
        {
            yield return $"{where}: a CronJob's name must be at most 52 characters";
        }

        foreach (var (path, node) in Walk(obj, kind))
        {
            if (path.EndsWith(".labels", StringComparison.Ordinal) || path.EndsWith(".matchLabels", StringComparison.Ordinal)
                || path.EndsWith(".selector", StringComparison.Ordinal) && node is JsonObject { Count: > 0 } selector && selector.All(p => p.Value is JsonValue))
            {
                foreach (var (key, value) in node!.AsObject())
                {
                    if (!KubernetesNames.IsLabelKey(key) || !KubernetesNames.IsLabelValue((string)value!))
                    {
                        yield return $"{path}: {key}={value} is not a valid label";
                    }
                }
            }

            if (path.EndsWith("ontainers", StringComparison.Ordinal) && node is JsonArray containers)
            {
                foreach (var container in containers)
                {
                    if (!KubernetesNames.IsDnsLabel((string)container!["name"]!))
                    {
                        yield return $"{path}: container name {container["name"]} is not a DNS-1123 label";
                    }

                    foreach (var port in container["ports"]?.AsArray() ?? [])
                    {
                        var portName = (string?)port!["name"];
                        if (portName is not null && (portName.Length > 15 || !KubernetesNames.IsDnsLabel(portName)))
                        {
                            yield return $"{path}: port name {portName} is not an IANA service name (at most 15, DNS label)";
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<(string Path, JsonNode? Node)> Walk(JsonNode? node, string path)
    {
        yield return (path, node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    foreach (var item in Walk(child, $"{path}.{key}"))
                    {
                        yield return item;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var item in Walk(array[i], $"{path}[{i}]"))
                    {
                        yield return item;
                    }
                }

                break;
        }
    }
}
