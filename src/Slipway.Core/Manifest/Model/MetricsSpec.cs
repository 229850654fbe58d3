using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>Where each instance serves Prometheus text for Slipway to scrape.</summary>
internal sealed record MetricsSpec : IValidatedSpec
{
    [Required]
    public string Path { get; init; } = "/metrics";

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Larger scrapes are rejected and counted.</summary>
    public ByteSize MaxBytes { get; init; } = new(4 * 1024 * 1024);

    public void Validate(SpecContext context)
    {
        if (!Path.StartsWith('/') || Path.Any(char.IsWhiteSpace))
        {
            context.Error("path", $"must be a path starting with '/' (got {ScalarParsers.Quote(Path)})");
        }

        // Below a second the daemon would spend its time scraping; Prometheus itself rarely goes under 5s.
        if (Interval < TimeSpan.FromSeconds(1))
        {
            context.Error("interval", $"must be at least 1s (got {DurationText.Format(Interval)})");
        }

        if (MaxBytes.Bytes <= 0)
        {
            context.Error("maxBytes", "must be more than 0B");
        }
    }
}
