using System.ComponentModel.DataAnnotations;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>Limits per instance. Over <see cref="Memory"/> an instance is restarted (an OOM event).</summary>
internal sealed record ResourcesSpec
{
    public ByteSize? Memory { get; init; }

    /// <summary>CPU cores one instance is expected to use; the autoscaler's 100 %.</summary>
    [Range(0.01, 1024.0)]
    public double? Cpu { get; init; }
}
