using System.ComponentModel.DataAnnotations;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>Retries of requests that failed before any response byte reached the client.</summary>
internal sealed record RetrySpec
{
    /// <summary>Tries in all, the first included; 1 disables retries.</summary>
    [Range(1, 10)]
    public int Attempts { get; init; } = 2;

    /// <summary>Retries may be at most this share of requests, so a sick backend is not hammered.</summary>
    public Percentage Budget { get; init; } = new(20);
}
