using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Slipway.Kubernetes.Tests.Validation;

/// <summary>
/// Core kinds read back through KubernetesClient's own models with <c>strict: true</c>: a field the model does not
/// have (misspelt, misplaced, from another API version) fails. The pod templates and Job specs inside Argo Rollouts'
/// objects are read the same way, as the core types they are.
/// </summary>
internal static class StrictCoreKinds
{
    private static readonly Dictionary<(string ApiVersion, string Kind), Type> Types = new()
    {
        [("v1", "Namespace")] = typeof(V1Namespace),
        [("v1", "ServiceAccount")] = typeof(V1ServiceAccount),
        [("v1", "ConfigMap")] = typeof(V1ConfigMap),
        [("v1", "Service")] = typeof(V1Service),
        [("v1", "PersistentVolumeClaim")] = typeof(V1PersistentVolumeClaim),
        [("apps/v1", "Deployment")] = typeof(V1Deployment),
        [("autoscaling/v2", "HorizontalPodAutoscaler")] = typeof(V2HorizontalPodAutoscaler),
        [("policy/v1", "PodDisruptionBudget")] = typeof(V1PodDisruptionBudget),
        [("networking.k8s.io/v1", "NetworkPolicy")] = typeof(V1NetworkPolicy),
        [("networking.k8s.io/v1", "Ingress")] = typeof(V1Ingress),
        [("batch/v1", "CronJob")] = typeof(V1CronJob),
        [("batch/v1", "Job")] = typeof(V1Job),
    };

    public static bool Knows(string apiVersion, string kind) => Types.ContainsKey((apiVersion, kind));

    /// <summary>The problem with <paramref name="obj"/>, or null when it reads strictly.</summary>
    public static string? Validate(JsonObject obj)
    {
        var key = ((string)obj["apiVersion"]!, (string)obj["kind"]!);
        if (Types.TryGetValue(key, out var type))
        {
            return Read(obj, type, $"{key.Item2}/{obj["metadata"]!["name"]}");
        }

        // The core parts of Argo Rollouts' objects: a Rollout's pod template, an AnalysisTemplate's Job specs.
        var problems = new List<string>();
        if (key.Item2 == "Rollout" && obj["spec"]?["template"] is JsonObject template)
        {
            problems.Add(Read(template, typeof(V1PodTemplateSpec), $"Rollout/{obj["metadata"]!["name"]}.spec.template") ?? "");
        }

        foreach (var metric in obj["spec"]?["metrics"]?.AsArray() ?? [])
        {
            if (metric?["provider"]?["job"]?["spec"] is JsonObject job)
            {
                problems.Add(Read(job, typeof(V1JobSpec), $"AnalysisTemplate/{obj["metadata"]!["name"]}.{metric["name"]}.job.spec") ?? "");
            }
        }

        var found = problems.Where(p => p.Length > 0).ToList();
        return found.Count == 0 ? null : string.Join("\n", found);
    }

    private static string? Read(JsonNode node, Type type, string where)
    {
        try
        {
            var method = typeof(KubernetesYaml).GetMethods().Single(m => m.Name == nameof(KubernetesYaml.Deserialize) && m.IsGenericMethod
                && m.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(string));
            method.MakeGenericMethod(type).Invoke(null, [node.ToJsonString(), true]);
            return null;
        }
        catch (System.Reflection.TargetInvocationException e)
        {
            return $"{where}: {e.InnerException?.Message}";
        }
    }
}
