using System.ComponentModel.DataAnnotations;

namespace Slipway.Core.Manifest.Model;

/// <summary>The whole <c>slipway.yaml</c>: one application on one machine.</summary>
internal sealed record AppManifest
{
    [Required]
    public string App { get; init; } = "";

    public ProxySpec Proxy { get; init; } = new();

    public IReadOnlyDictionary<string, ServiceSpec> Services { get; init; } = new Dictionary<string, ServiceSpec>();

    public AlertsSpec Alerts { get; init; } = new();

    public IReadOnlyDictionary<string, BackupSpec> Backups { get; init; } = new Dictionary<string, BackupSpec>();

    /// <summary>Commands run on a schedule or by hand, each with a history of its runs.</summary>
    public IReadOnlyDictionary<string, JobSpec> Jobs { get; init; } = new Dictionary<string, JobSpec>();

    public LogsSpec Logs { get; init; } = new();

    /// <summary>What only <c>slipway render kubernetes</c> reads.</summary>
    public KubernetesSpec Kubernetes { get; init; } = new();
}
