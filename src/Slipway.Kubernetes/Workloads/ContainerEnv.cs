using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Workloads;

/// <summary>
/// A container's environment as one machine gives an instance its own: <c>PORT</c>, <c>SLIPWAY_SERVICE</c>,
/// <c>SLIPWAY_REVISION</c> (the pod-template hash), <c>SLIPWAY_INSTANCE</c> (the pod's name), <c>SLIPWAY_X_URL</c> for
/// every internal service (its Service's address), <c>run.env</c> with its placeholders filled, and <c>run.secrets</c>
/// as references into the app's Secret (never values). Plain values go in a ConfigMap; values that need the pod's own
/// name or hash stay in the container, where Kubernetes expands <c>$(VAR)</c>.
/// </summary>
internal sealed class ContainerEnv
{
    private ContainerEnv(SortedDictionary<string, string> plain, JsonArray variables)
    {
        Plain = plain;
        Variables = variables;
    }

    /// <summary>What the service's env ConfigMap holds.</summary>
    public SortedDictionary<string, string> Plain { get; }

    /// <summary>The container's <c>env</c> list.</summary>
    public JsonArray Variables { get; }

    /// <param name="hashLabel">The pod label that tells revisions apart: <c>pod-template-hash</c> or Argo's <c>rollouts-pod-template-hash</c>.</param>
    public static ContainerEnv Build(RenderContext context, string name, ServiceSpec service, string hashLabel)
    {
        var plain = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var variables = new JsonArray
        {
            Value("PORT", context.Port.ToString(CultureInfo.InvariantCulture)),
            Value("SLIPWAY_SERVICE", name),
            Field("SLIPWAY_REVISION", $"metadata.labels['{hashLabel}']"),
            Field("SLIPWAY_INSTANCE", "metadata.name"),
        };

        foreach (var (other, spec) in context.Manifest.Services.Where(s => s.Value.Internal is not null).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            variables.Add(Value(Names.InternalUrlVariable(other), $"http://{other}.{context.Namespace}.svc.cluster.local"));
        }

        var run = service.Run!;
        foreach (var secret in run.Secrets)
        {
            variables.Add(Json.Obj(("name", secret), ("valueFrom", Json.Obj(("secretKeyRef", Json.Obj(("name", Names.Secrets(context.App)), ("key", secret)))))));
        }

        var placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["VERSION"] = RenderContext.VersionOf(service),
            ["PORT"] = context.Port.ToString(CultureInfo.InvariantCulture),
            ["SERVICE"] = name,
        };
        var dependent = new Dictionary<string, string>(placeholders, StringComparer.Ordinal)
        {
            ["REVISION"] = "$(SLIPWAY_REVISION)",
            ["INSTANCE"] = "$(SLIPWAY_INSTANCE)",
        };

        foreach (var (key, value) in run.Env.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var used = Placeholders.Find(value);
            if (used.FirstOrDefault(p => p is "STATE_DIR" or "MANIFEST_DIR") is { } local)
            {
                context.Note($"services.{name}.run.env.{key}", $"uses ${{{local}}}, a directory on one machine with no counterpart in a pod; left out");
                continue;
            }

            if (used.Any(p => p is "REVISION" or "INSTANCE"))
            {
                // Kubernetes expands $(VAR) in env values: a literal "$(" the user wrote is escaped as "$$(".
                variables.Add(Value(key, Placeholders.Expand(value.Replace("$(", "$$(", StringComparison.Ordinal), dependent)));
            }
            else
            {
                plain[key] = Placeholders.Expand(value, placeholders);
            }
        }

        return new ContainerEnv(plain, variables);
    }

    private static JsonObject Value(string name, string value) => Json.Obj(("name", name), ("value", value));

    private static JsonObject Field(string name, string path) =>
        Json.Obj(("name", name), ("valueFrom", Json.Obj(("fieldRef", Json.Obj(("fieldPath", path))))));
}
