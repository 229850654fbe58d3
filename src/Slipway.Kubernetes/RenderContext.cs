using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes;

/// <summary>The manifest being rendered, the names and labels every object shares, and the notes and errors collected on the way.</summary>
internal sealed class RenderContext
{
    private readonly SourceMap? _map;
    private readonly List<RenderNote> _notes = [];
    private readonly List<RenderNote> _errors = [];

    public RenderContext(AppManifest manifest, SourceMap? map)
    {
        Manifest = manifest;
        _map = map;
        Namespace = manifest.Kubernetes.Namespace ?? manifest.App;
    }

    public AppManifest Manifest { get; }

    public KubernetesSpec Kubernetes => Manifest.Kubernetes;

    public string App => Manifest.App;

    public string Namespace { get; }

    public int Port => Kubernetes.Port;

    public IReadOnlyList<RenderNote> Notes => _notes;

    public IReadOnlyList<RenderNote> Errors => _errors;

    /// <summary>The request metrics in force: as written, or the ones that come with the traffic API.</summary>
    public ClusterRequestMetrics RequestMetrics =>
        Kubernetes.RequestMetrics ?? (Kubernetes.Traffic == TrafficApi.Ingress ? ClusterRequestMetrics.IngressNginx : ClusterRequestMetrics.Istio);

    /// <summary>Services Slipway runs (with <c>run</c>), by name.</summary>
    /// <summary>The services rendered as workloads: every one Slipway runs but the stateful ones (noted instead: a cluster runs its databases apart).</summary>
    public IEnumerable<(string Name, ServiceSpec Spec)> RunServices =>
        Manifest.Services.Where(s => s.Value.Run is not null && !s.Value.Stateful).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value));

    /// <summary>Was <paramref name="path"/> written in the manifest (not left to its default)? Without a source map, nothing was.</summary>
    public bool IsWritten(string path) => _map?.Contains(path) ?? false;

    /// <summary>A note for a key the user wrote; a key left to its default says nothing.</summary>
    public void NoteIfWritten(string path, string message)
    {
        if (IsWritten(path))
        {
            Note(path, message);
        }
    }

    public void Note(string path, string message)
    {
        if (!_notes.Exists(n => n.Path == path))
        {
            _notes.Add(new RenderNote(path, message));
        }
    }

    public void Error(string path, string message) => _errors.Add(new RenderNote(path, message));

    /// <summary>The labels that select a service's pods; never changed once applied (selectors are immutable).</summary>
    public JsonObject Selector(string service) => Json.Obj(
        ("app.kubernetes.io/name", service),
        ("app.kubernetes.io/part-of", App));

    /// <summary>The recommended <c>app.kubernetes.io/*</c> labels, and the manifest's own on top.</summary>
    public JsonObject Labels(string name, string component, string? version = null)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Kubernetes.Labels)
        {
            labels[key] = value;
        }

        labels["app.kubernetes.io/name"] = name;
        labels["app.kubernetes.io/part-of"] = App;
        labels["app.kubernetes.io/component"] = component;
        labels["app.kubernetes.io/managed-by"] = "slipway";
        if (version is not null && KubernetesNames.IsLabelValue(version))
        {
            labels["app.kubernetes.io/version"] = version;
        }

        return Json.Map(labels)!;
    }

    /// <summary>Object metadata in the app's namespace.</summary>
    public JsonObject Metadata(string name, JsonObject labels, JsonObject? annotations = null) =>
        Json.Obj(("name", name), ("namespace", Namespace), ("labels", labels), ("annotations", annotations));

    /// <summary>The version a service's pods run: its <c>version</c>, or 1 as on one machine.</summary>
    public static string VersionOf(ServiceSpec service) => service.Version ?? "1";
}
