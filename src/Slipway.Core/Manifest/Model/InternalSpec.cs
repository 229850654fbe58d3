using System.ComponentModel.DataAnnotations;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// A fixed loopback port that always reaches the service's current ready instances;
/// every instance of the app gets <c>SLIPWAY_&lt;SERVICE&gt;_URL</c> for it.
/// </summary>
internal sealed record InternalSpec
{
    [Required]
    [Range(1, 65535)]
    public int Port { get; init; }
}
