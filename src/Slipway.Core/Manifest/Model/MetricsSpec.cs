using System.ComponentModel.DataAnnotations;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>Where each instance serves Prometheus text for Slipway to scrape.</summary>
internal sealed record MetricsSpec
{
    [Required]
    public string Path { get; init; } = "/metrics";

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Larger scrapes are rejected and counted.</summary>
    public ByteSize MaxBytes { get; init; } = new(4 * 1024 * 1024);
}
