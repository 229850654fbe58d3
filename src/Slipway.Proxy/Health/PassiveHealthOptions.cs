namespace Slipway.Proxy.Health;

/// <summary>
/// When the proxy stops sending traffic to an endpoint on its own evidence (outlier detection),
/// before the supervisor's probes notice. Defaults follow Envoy's outlier detection.
/// </summary>
internal sealed record PassiveHealthOptions
{
    public static PassiveHealthOptions Default { get; } = new();

    /// <summary>This many failures in a row eject the endpoint; 0 turns the rule off.</summary>
    public int ConsecutiveFailures { get; init; } = 5;

    /// <summary>The window the failure rate is computed over.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Fewer requests than this in a window never eject by rate.</summary>
    public int MinimumRequests { get; init; } = 20;

    /// <summary>Share of failed requests in a window (0..1) that ejects; 0 turns the rule off.</summary>
    public double FailureRate { get; init; } = 0.5;

    /// <summary>The first ejection lasts this long; each repeat doubles it up to <see cref="MaxEjection"/>.</summary>
    public TimeSpan BaseEjection { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxEjection { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Count 5xx answers as failures too, not only connection errors and timeouts.</summary>
    public bool CountServerErrors { get; init; }
}
