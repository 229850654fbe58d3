using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Kubernetes.Backups;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Workloads;

/// <summary>
/// A deploy's hooks in a cluster. Before a canary or blue-green revision takes traffic, one Job runs in order what one
/// machine runs in order: the <c>backupFirst</c> backup, the <c>before</c> command in the new image, then each smoke
/// check against the new revision's Service; Argo Rollouts runs it as an analysis with a Job provider, and a failure
/// aborts the rollout. A Deployment has no such step: its <c>before</c> (and every <c>after</c>) is a Job under
/// <c>hooks/</c> that the walkthrough says when to run.
/// </summary>
internal static class HookJobs
{
    /// <summary>The steps of the pre-traffic Job, in order; empty when the deploy has none.</summary>
    /// <param name="target">The Service that reaches the new revision only (canary or preview), for the smoke checks.</param>
    public static List<JsonObject> PreTrafficSteps(RenderContext context, string name, ServiceSpec service, ContainerEnv env, string? configMap, string target, bool smoke = true)
    {
        var hooks = service.Deploy.Hooks;
        var steps = new List<JsonObject>();
        if (hooks.BackupFirst is { } backup)
        {
            steps.Add(BackupJobs.BackupContainer(context, backup, context.Manifest.Backups[backup]));
        }

        if (hooks.Before is { } before)
        {
            steps.Add(HookContainer(context, name, service, "before", before, env, configMap));
        }

        if (smoke)
        {
            steps.AddRange(SmokeSteps(context, name, service, target));
        }

        return steps;
    }

    public static List<JsonObject> SmokeSteps(RenderContext context, string name, ServiceSpec service, string target)
    {
        var steps = new List<JsonObject>();
        var smoke = service.Deploy.Hooks.Smoke;
        for (var i = 0; i < smoke.Count; i++)
        {
            var check = smoke[i];
            if (check.Status is { } status && status is < 200 or >= 300)
            {
                context.Note($"services.{name}.deploy.hooks.smoke[{i}].status", $"is {status}; the cluster's check (curl --fail) accepts any answer below 400");
            }

            steps.Add(Json.Obj(
                ("name", $"smoke-{i + 1}"),
                ("image", context.Kubernetes.Images.Curl),
                ("args", Json.Arr("--fail", "--silent", "--show-error", "--output", "/dev/null", "--max-time", "10", "--request", check.Method,
                    $"http://{target}.{context.Namespace}.svc.cluster.local{check.Path}")),
                ("securityContext", PodTemplate.ContainerSecurity())));
        }

        return steps;
    }

    /// <summary>An AnalysisTemplate whose one metric runs <paramref name="steps"/> as a Job, in order.</summary>
    public static KubeObject Template(RenderContext context, string name, string templateName, IReadOnlyList<JsonObject> steps) =>
        KubeObject.Create("argoproj.io/v1alpha1", "AnalysisTemplate", context.Metadata(templateName, context.Labels(name, "hook")),
            ("spec", Json.Obj(("metrics", Json.Arr(Json.Obj(
                ("name", templateName),
                ("provider", Json.Obj(("job", Json.Obj(
                    ("metadata", Json.Obj(("labels", context.Labels(name, "hook")))),
                    ("spec", JobSpec(context, name, steps))))))))))));

    /// <summary>The Jobs under <c>hooks/</c>: a Deployment's <c>before</c>, and every strategy's <c>after</c>.</summary>
    public static IEnumerable<KubeObject> ManualJobs(RenderContext context, string name, ServiceSpec service, ContainerEnv env, string? configMap)
    {
        var hooks = service.Deploy.Hooks;
        if (service.Deploy.Strategy == DeployStrategy.Rolling)
        {
            var before = PreTrafficSteps(context, name, service, env, configMap, name, smoke: false);
            if (before.Count > 0)
            {
                yield return Job(context, name, $"{name}-before", before);
            }

            if (hooks.Smoke.Count > 0)
            {
                context.Note($"services.{name}.deploy.hooks.smoke", "a Deployment has no step to check a new revision before it takes traffic; the checks run in the Job hooks/" + name + "-smoke.yaml, after the rollout");
                yield return Job(context, name, $"{name}-smoke", SmokeSteps(context, name, service, name));
            }
        }

        if (hooks.After is { } after)
        {
            yield return Job(context, name, $"{name}-after", [HookContainer(context, name, service, "after", after, env, configMap)]);
        }
    }

    private static KubeObject Job(RenderContext context, string service, string name, IReadOnlyList<JsonObject> steps) =>
        KubeObject.Create("batch/v1", "Job", context.Metadata(name, context.Labels(service, "hook")), ("spec", JobSpec(context, service, steps)));

    private static JsonObject JobSpec(RenderContext context, string service, IReadOnlyList<JsonObject> steps)
    {
        var usesVolume = steps.Any(s => s["name"]!.GetValue<string>() == "backup");
        var containers = Json.Arr(steps[^1].DeepClone());
        var init = Json.NonEmpty(steps.Take(steps.Count - 1).Select(s => (JsonNode?)s.DeepClone()));
        var pod = usesVolume
            ? Backups.BackupJobs.VolumeMountedPod(context, containers, init)
            : Json.Obj(
                ("serviceAccountName", Names.ServiceAccount(context.App)),
                ("automountServiceAccountToken", false),
                ("imagePullSecrets", PodTemplate.PullSecrets(context)),
                ("restartPolicy", "Never"),
                ("securityContext", PodTemplate.PodSecurity()),
                ("initContainers", init),
                ("containers", containers),
                ("volumes", Json.Arr(Json.Obj(("name", "tmp"), ("emptyDir", Json.Obj())))));
        return Json.Obj(
            ("backoffLimit", 0),
            ("template", Json.Obj(("metadata", Json.Obj(("labels", context.Labels(service, "hook")))), ("spec", pod))));
    }

    private static JsonObject HookContainer(RenderContext context, string name, ServiceSpec service, string role, HookCommand hook, ContainerEnv env, string? configMap)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["VERSION"] = RenderContext.VersionOf(service),
            ["SERVICE"] = name,
            ["PORT"] = context.Port.ToString(CultureInfo.InvariantCulture),
        };
        string Fill(string text)
        {
            if (!Placeholders.TryExpand(text, values, out var result, out var unknown))
            {
                context.Note($"services.{name}.deploy.hooks.{role}", $"uses {string.Join(", ", unknown.Select(u => "${" + u + "}"))}, which a Job has no value for; left as written");
            }

            return result;
        }

        var variables = env.Variables.DeepClone().AsArray();
        foreach (var (key, value) in hook.Env.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            variables.Add(Json.Obj(("name", key), ("value", Fill(value))));
        }

        var image = Placeholders.Expand(service.Image!, new Dictionary<string, string> { ["VERSION"] = RenderContext.VersionOf(service) });
        return Json.Obj(
            ("name", role),
            ("image", image),
            ("command", Json.Arr([Fill(hook.Command), .. hook.Args.Select(a => (JsonNode?)Fill(a))])),
            ("envFrom", configMap is null ? null : Json.Arr(Json.Obj(("configMapRef", Json.Obj(("name", configMap)))))),
            ("env", variables),
            ("securityContext", PodTemplate.ContainerSecurity()),
            ("volumeMounts", Json.Arr(Json.Obj(("name", "tmp"), ("mountPath", "/tmp")))));
    }
}
