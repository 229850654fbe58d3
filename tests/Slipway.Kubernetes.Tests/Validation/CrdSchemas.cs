using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Slipway.Testing;
using YamlDotNet.RepresentationModel;

namespace Slipway.Kubernetes.Tests.Validation;

/// <summary>
/// A strict check of custom resources against their CRDs' own <c>openAPIV3Schema</c> (../shared/k8s-crds, see
/// Schemas/README.md): unknown fields (the misspelt <c>setWeigth</c> that kubernetes-models lets through), types,
/// int-or-string, required fields, enums, patterns, lengths, bounds and item counts, as the API server's structural
/// schema check does. CEL rules (<c>x-kubernetes-validations</c>) are not evaluated.
/// </summary>
internal static class CrdSchemas
{
    private static readonly Lazy<Dictionary<(string Group, string Kind, string Version), JsonObject>> Schemas = new(Load);

    public static bool Knows(string apiVersion, string kind) => Schemas.Value.ContainsKey(Key(apiVersion, kind));

    /// <summary>Every problem with <paramref name="obj"/>, each with its path; empty when it conforms.</summary>
    public static List<string> Validate(JsonObject obj)
    {
        var apiVersion = (string)obj["apiVersion"]!;
        var kind = (string)obj["kind"]!;
        if (!Schemas.Value.TryGetValue(Key(apiVersion, kind), out var schema))
        {
            return [$"{kind}: no CRD for {apiVersion} in ../shared/k8s-crds"];
        }

        var problems = new List<string>();
        Walk(obj, schema, kind, problems, root: true);
        return problems;
    }

    private static (string, string, string) Key(string apiVersion, string kind)
    {
        var slash = apiVersion.LastIndexOf('/');
        return (apiVersion[..slash], kind, apiVersion[(slash + 1)..]);
    }

    private static void Walk(JsonNode? value, JsonObject schema, string path, List<string> problems, bool root = false)
    {
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                problems.Add($"{path}: null is not allowed");
            }

            return;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (value is not JsonValue v || v.GetValueKind() is not (System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.String))
            {
                problems.Add($"{path}: must be an integer or a string");
            }

            CheckScalar(value, schema, path, problems);
            return;
        }

        var type = (string?)schema["type"];
        switch (type)
        {
            case "object":
                if (value is not JsonObject obj)
                {
                    problems.Add($"{path}: must be an object");
                    return;
                }

                WalkObject(obj, schema, path, problems, root);
                return;
            case "array":
                if (value is not JsonArray array)
                {
                    problems.Add($"{path}: must be an array");
                    return;
                }

                if (schema["maxItems"] is { } maxItems && array.Count > Number(maxItems))
                {
                    problems.Add($"{path}: at most {maxItems} items (has {array.Count})");
                }

                if (schema["minItems"] is { } minItems && array.Count < Number(minItems))
                {
                    problems.Add($"{path}: at least {minItems} items (has {array.Count})");
                }

                if (schema["items"] is JsonObject items)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        Walk(array[i], items, $"{path}[{i}]", problems);
                    }
                }

                return;
            case "string" or "integer" or "number" or "boolean":
                var kind = value is JsonValue scalar ? scalar.GetValueKind() : System.Text.Json.JsonValueKind.Object;
                var ok = type switch
                {
                    "string" => kind == System.Text.Json.JsonValueKind.String,
                    "boolean" => kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
                    "integer" => kind == System.Text.Json.JsonValueKind.Number && !value.ToJsonString().Contains('.', StringComparison.Ordinal),
                    _ => kind == System.Text.Json.JsonValueKind.Number,
                };
                if (!ok)
                {
                    problems.Add($"{path}: must be {type} (got {value.ToJsonString()})");
                    return;
                }

                CheckScalar(value, schema, path, problems);
                return;
            default:
                // No type: anyOf/oneOf schemas and x-kubernetes-preserve-unknown-fields accept what they say.
                if (value is JsonObject other && schema["properties"] is not null)
                {
                    WalkObject(other, schema, path, problems, root);
                }

                return;
        }
    }

    private static void WalkObject(JsonObject obj, JsonObject schema, string path, List<string> problems, bool root)
    {
        var properties = schema["properties"] as JsonObject;
        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            if (!obj.ContainsKey((string)required!))
            {
                problems.Add($"{path}: {(string)required!} is required");
            }
        }

        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        foreach (var (key, child) in obj)
        {
            if (root && key is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            if (properties?[key] is JsonObject property)
            {
                Walk(child, property, $"{path}.{key}", problems);
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Walk(child, additional, $"{path}.{key}", problems);
            }
            else if (!preserve && schema["additionalProperties"]?.GetValueKind() != System.Text.Json.JsonValueKind.True)
            {
                problems.Add($"{path}.{key}: unknown field");
            }
        }
    }

    private static void CheckScalar(JsonNode value, JsonObject schema, string path, List<string> problems)
    {
        var text = value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : null;
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            problems.Add($"{path}: {value.ToJsonString()} is not one of {allowed.ToJsonString()}");
        }

        if (text is not null)
        {
            if (schema["pattern"] is { } pattern && !Regex.IsMatch(text, (string)pattern!))
            {
                problems.Add($"{path}: \"{text}\" does not match {(string)pattern!}");
            }

            if (schema["maxLength"] is { } max && text.Length > Number(max))
            {
                problems.Add($"{path}: longer than {max}");
            }

            if (schema["minLength"] is { } min && text.Length < Number(min))
            {
                problems.Add($"{path}: shorter than {min}");
            }
        }
        else if (value.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            var number = Number(value);
            if (schema["minimum"] is { } minimum && number < Number(minimum))
            {
                problems.Add($"{path}: below {minimum}");
            }

            if (schema["maximum"] is { } maximum && number > Number(maximum))
            {
                problems.Add($"{path}: above {maximum}");
            }
        }
    }

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static Dictionary<(string, string, string), JsonObject> Load()
    {
        var schemas = new Dictionary<(string, string, string), JsonObject>();
        var directory = Path.Combine(RepositoryRoot.Path, "..", "shared", "k8s-crds");
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml"))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }

            foreach (var document in stream.Documents)
            {
                var crd = ToJson(document.RootNode)!.AsObject();
                var spec = crd["spec"]!;
                foreach (var version in spec["versions"]!.AsArray())
                {
                    schemas[((string)spec["group"]!, (string)spec["names"]!["kind"]!, (string)version!["name"]!)] =
                        version["schema"]!["openAPIV3Schema"]!.AsObject();
                }
            }
        }

        return schemas;
    }

    /// <summary>YAML to JSON with YAML 1.2's core schema for plain scalars (what the API server reads).</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => Plain(scalar.Value!),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    private static JsonNode? Plain(string text) => text switch
    {
        "true" => true,
        "false" => false,
        "null" or "~" or "" => null,
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsAsciiDigit) => d,
        _ => text,
    };

    /// <summary>Reads one rendered YAML stream the same way, for the tests.</summary>
    public static List<JsonObject> ReadStream(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Where(d => d.RootNode is YamlMappingNode).Select(d => ToJson(d.RootNode)!.AsObject())];
    }
}
