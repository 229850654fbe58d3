using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Workloads;

/// <summary>
/// The pod a service's instances become: its image, port, environment, probes and resources; a <c>preStop</c> wait of
/// <c>stop.drainTimeout</c> while the endpoints stop routing to it, then SIGTERM and <c>stop.gracePeriod</c> before
/// SIGKILL (so the grace period the kubelet counts from the start is the two together); the restricted security
/// context (non-root, read-only root with a writable /tmp, no capabilities, RuntimeDefault seccomp); and a spread
/// across nodes.
/// </summary>
internal static class PodTemplate
{
    /// <summary>Whether anything reaches the service's port: routes, an internal address, metrics, or a probe on it.</summary>
    public static bool Serves(ServiceSpec service) =>
        service.Routes.Count > 0 || service.Internal is not null || service.Metrics is not null
        || new[] { service.Health.Startup, service.Health.Readiness, service.Health.Liveness }.Any(p => p is { Http: not null } or { Tcp: true });

    public static JsonObject Build(RenderContext context, string name, ServiceSpec service, string hashLabel, ContainerEnv env, string? configMap)
    {
        var path = $"services.{name}";
        var version = RenderContext.VersionOf(service);
        var container = Json.Obj(
            ("name", name),
            ("image", Placeholders.Expand(service.Image!, new Dictionary<string, string> { ["VERSION"] = version })),
            ("ports", Serves(service) ? Json.Arr(Json.Obj(("name", Names.HttpPort), ("containerPort", context.Port), ("protocol", "TCP"))) : null),
            ("envFrom", configMap is null ? null : Json.Arr(Json.Obj(("configMapRef", Json.Obj(("name", configMap)))))),
            ("env", env.Variables),
            ("resources", Resources(service.Resources)),
            ("startupProbe", Probes.Build(context, $"{path}.health.startup", service.Health.Startup, readiness: false)),
            ("readinessProbe", Probes.Build(context, $"{path}.health.readiness", service.Health.Readiness, readiness: true)),
            ("livenessProbe", Probes.Build(context, $"{path}.health.liveness", service.Health.Liveness, readiness: false)),
            ("lifecycle", service.Stop.DrainTimeout > TimeSpan.Zero
                ? Json.Obj(("preStop", Json.Obj(("sleep", Json.Obj(("seconds", Names.Seconds(service.Stop.DrainTimeout)))))))
                : null),
            ("securityContext", ContainerSecurity()),
            ("volumeMounts", Json.Arr(Json.Obj(("name", "tmp"), ("mountPath", "/tmp")))));

        var spec = Json.Obj(
            ("serviceAccountName", Names.ServiceAccount(context.App)),
            ("automountServiceAccountToken", false),
            ("imagePullSecrets", PullSecrets(context)),
            ("terminationGracePeriodSeconds", Names.Seconds(service.Stop.DrainTimeout + service.Stop.GracePeriod)),
            ("securityContext", PodSecurity()),
            ("topologySpreadConstraints", Json.Arr(Json.Obj(
                ("maxSkew", 1),
                ("topologyKey", "kubernetes.io/hostname"),
                ("whenUnsatisfiable", "ScheduleAnyway"),
                ("labelSelector", Json.Obj(("matchLabels", context.Selector(name)))),
                ("matchLabelKeys", Json.Arr(hashLabel))))),
            ("containers", Json.Arr(container)),
            ("volumes", Json.Arr(Json.Obj(("name", "tmp"), ("emptyDir", Json.Obj())))));

        NoteRestart(context, path, service.Restart);
        return Json.Obj(
            ("metadata", Json.Obj(("labels", context.Labels(name, "server", version)))),
            ("spec", spec));
    }

    /// <summary>The restricted Pod Security Standard, at the pod's level.</summary>
    public static JsonObject PodSecurity() => Json.Obj(
        ("runAsNonRoot", true),
        ("seccompProfile", Json.Obj(("type", "RuntimeDefault"))));

    /// <summary>The restricted Pod Security Standard, at each container's level, with a read-only root.</summary>
    public static JsonObject ContainerSecurity() => Json.Obj(
        ("allowPrivilegeEscalation", false),
        ("readOnlyRootFilesystem", true),
        ("capabilities", Json.Obj(("drop", Json.Arr("ALL")))));

    public static JsonArray? PullSecrets(RenderContext context) =>
        Json.NonEmpty(context.Kubernetes.ImagePullSecrets.Select(s => (JsonNode?)Json.Obj(("name", s))));

    /// <summary>Memory is both request and limit (over it the instance is restarted, as on one machine); CPU is what the instance is expected to use, a request only, so it is never throttled.</summary>
    private static JsonObject? Resources(ResourcesSpec resources)
    {
        var requests = Json.Obj(
            ("cpu", resources.Cpu is { } cpu ? Cpu(cpu) : null),
            ("memory", resources.Memory is { } memory ? Memory(memory) : null));
        var limits = Json.Obj(("memory", resources.Memory is { } limit ? Memory(limit) : null));
        return requests.Count == 0 ? null : Json.Obj(("requests", requests), ("limits", limits.Count == 0 ? null : limits));
    }

    private static string Cpu(double cores) => ((long)Math.Ceiling(cores * 1000)).ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>In mebibytes when whole (Slipway's MB is 1024-based, as Kubernetes' Mi is), else bytes.</summary>
    private static string Memory(ByteSize size) =>
        size.Bytes % (1024 * 1024) == 0 ? (size.Bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + "Mi" : size.Bytes.ToString(CultureInfo.InvariantCulture);

    private static void NoteRestart(RenderContext context, string path, RestartSpec restart)
    {
        if (restart.Policy != RestartPolicy.Always)
        {
            context.NoteIfWritten($"{path}.restart", $"is {ScalarName(restart.Policy)}, but a Deployment's or Rollout's pods always restart; rendered as always");
        }

        foreach (var key in new[] { "backoff", "maxBackoff", "resetAfter", "crashLoopThreshold", "crashLoopWindow" })
        {
            context.NoteIfWritten($"{path}.restart.{key}", "has no Kubernetes equivalent: the kubelet's crash backoff is fixed (10s doubling to 5m); left out");
        }
    }

    private static string ScalarName(RestartPolicy policy) => Core.Manifest.Binding.ScalarParsers.EnumName(policy);
}
