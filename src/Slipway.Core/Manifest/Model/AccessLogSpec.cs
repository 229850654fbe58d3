using System.ComponentModel.DataAnnotations;

namespace Slipway.Core.Manifest.Model;

/// <summary>One structured line per request; off by default.</summary>
internal sealed record AccessLogSpec
{
    public bool Enabled { get; init; }

    /// <summary>Fraction of requests logged, 0 to 1; errors are always logged.</summary>
    [Range(0.0, 1.0)]
    public double Sample { get; init; } = 1.0;
}
