using System.ComponentModel.DataAnnotations;
using System.Net;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// A service: processes Slipway runs (<see cref="Run"/>) or endpoints it only proxies and
/// checks (<see cref="Upstream"/>), how traffic reaches it, how it is checked, stopped,
/// restarted, deployed and scaled.
/// </summary>
internal sealed record ServiceSpec : IValidatedSpec
{
    /// <summary>The version the first revision runs when none is given on the command line.</summary>
    public string? Version { get; init; }

    public RunSpec? Run { get; init; }

    /// <summary>The container image a cluster runs (<c>registry/app:${VERSION}</c>); <see cref="Run"/> is for one machine.</summary>
    public string? Image { get; init; }

    /// <summary><c>host:port</c> endpoints Slipway does not start.</summary>
    public IReadOnlyList<string>? Upstream { get; init; }

    [Range(0, 1000)]
    public int Replicas { get; init; } = 1;

    /// <summary>
    /// A service with data (a database, a cache): one instance at a fixed <see cref="Port"/>, replaced stop-then-start,
    /// with a data directory under the state directory that Slipway creates and never deletes.
    /// </summary>
    public bool Stateful { get; init; }

    /// <summary>A stateful service's fixed loopback port; when not written, one is chosen at first start and kept.</summary>
    [Range(1, 65535)]
    public int? Port { get; init; }

    /// <summary>What a stateful service's <c>SLIPWAY_&lt;SERVICE&gt;_URL</c> says, e.g. <c>postgresql://app@127.0.0.1:${PORT}/app</c>.</summary>
    public string? Url { get; init; }

    /// <summary>Runs once before a stateful service's first start, while its data directory is empty (<c>initdb</c>).</summary>
    public HookCommand? Init { get; init; }

    /// <summary>Services that must be ready before this one starts, and that stop after it.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    public IReadOnlyList<RouteSpec> Routes { get; init; } = [];

    /// <summary>When set, only clients in these ranges reach the service through the edge; others get 403.</summary>
    public IReadOnlyList<IPNetwork>? Allow { get; init; }

    /// <summary>Clients in these ranges get 403 on every route of the service.</summary>
    public IReadOnlyList<IPNetwork> Deny { get; init; } = [];

    /// <summary>A loopback listener other services call this one through.</summary>
    public InternalSpec? Internal { get; init; }

    public LoadBalancing LoadBalancing { get; init; } = LoadBalancing.PowerOfTwo;

    /// <summary>Pass the client's Host header on (default) rather than the instance's address.</summary>
    public bool PreserveHost { get; init; } = true;

    /// <summary>Requests one instance may hold at once before requests queue; 0 for no limit.</summary>
    [Range(0, 100_000)]
    public int MaxInFlight { get; init; }

    public RetrySpec Retries { get; init; } = new();

    public HealthSpec Health { get; init; } = new();

    public StopSpec Stop { get; init; } = new();

    public RestartSpec Restart { get; init; } = new();

    public ResourcesSpec Resources { get; init; } = new();

    public DeploySpec Deploy { get; init; } = new();

    public AutoscaleSpec? Autoscale { get; init; }

    /// <summary>How many instances the service starts with: <c>replicas</c>, kept within <c>autoscale</c>'s bounds (left out, that is <c>autoscale.min</c>).</summary>
    public int InitialReplicas => Autoscale is { } autoscale ? Math.Clamp(Replicas, autoscale.Min, Math.Max(autoscale.Min, autoscale.Max)) : Replicas;

    /// <summary>The application's own Prometheus metrics, scraped from each ready instance.</summary>
    public MetricsSpec? Metrics { get; init; }

    public SloSpec? Slo { get; init; }

    /// <summary>
    /// The keys whose values make a revision: what its instances run (and <c>version</c>). A change of any of
    /// them is deployed as a new revision; every other key applies to the service as a whole.
    /// </summary>
    public static readonly IReadOnlySet<string> RevisionKeys = new HashSet<string>(StringComparer.Ordinal) { "version", "run", "health", "stop", "restart", "resources" };

    /// <summary>This spec with what a revision runs taken from <paramref name="revision"/>'s spec.</summary>
    public ServiceSpec WithRevisionFieldsOf(ServiceSpec revision) => this with
    {
        Version = revision.Version,
        Run = revision.Run,
        Health = revision.Health,
        Stop = revision.Stop,
        Restart = revision.Restart,
        Resources = revision.Resources,
    };

    public void Validate(SpecContext context)
    {
        if (Run is not null && Upstream is not null)
        {
            context.Error("upstream", "cannot be used together with `run`: a service is either run by Slipway or an upstream it only proxies");
        }
        else if (Run is null && Upstream is null)
        {
            context.Error("needs either `run` (a command Slipway starts) or `upstream` (endpoints it proxies)");
        }

        if (Upstream is not null)
        {
            if (Upstream.Count == 0)
            {
                context.Error("upstream", "must list at least one host:port");
            }

            for (var i = 0; i < Upstream.Count; i++)
            {
                if (!HostPort.TryParse(Upstream[i], out _, out _))
                {
                    context.Error($"upstream[{i}]", $"must be host:port (got {ScalarParsers.Quote(Upstream[i])})");
                }
            }

            if (Autoscale is not null)
            {
                context.Error("autoscale", "applies only to services Slipway runs, not to an upstream");
            }
        }

        if (Image is not null)
        {
            CheckImage(context, Image);
        }

        if (Version is not null && !RevisionNames.IsValidVersion(Version))
        {
            context.Error("version", $"must be {RevisionNames.VersionRule} (got {ScalarParsers.Quote(Version)})");
        }

        if (Stateful)
        {
            StatefulRules.Check(this, context);
        }
        else
        {
            StatefulRules.CheckNotStateful(this, context);
        }
    }

    private static void CheckImage(SpecContext context, string image)
    {
        var unknown = Primitives.Placeholders.Find(image).Where(name => name != "VERSION").ToList();
        if (unknown.Count > 0)
        {
            context.Error("image", $"uses {string.Join(", ", unknown.Select(n => "${" + n + "}"))}; an image can use only ${{VERSION}}");
        }
        else if (!KubernetesNames.IsImageReference(Primitives.Placeholders.Expand(image, new Dictionary<string, string> { ["VERSION"] = "1" })))
        {
            context.Error("image", $"must be an image reference such as registry.example.com/api:${{VERSION}} (got {ScalarParsers.Quote(image)})");
        }
    }
}
