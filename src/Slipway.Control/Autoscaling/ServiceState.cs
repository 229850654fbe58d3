namespace Slipway.Control.Autoscaling;

/// <summary>What the autoscaler keeps for one service between looks. Written by that service's look only; read whole.</summary>
internal sealed class ServiceState(ServiceAutoscaler scaler)
{
    public ServiceAutoscaler Scaler { get; } = scaler;

    public DateTimeOffset? LookedAt { get; set; }

    public DateTimeOffset? LastScaled { get; set; }

    public ScaleBounds? Bounds { get; set; }

    public string? HeldBy { get; set; }

    public AutoscaleStatus? Status { get; set; }

    public long ScaledUp { get; private set; }

    public long ScaledDown { get; private set; }

    public void Count(bool up)
    {
        if (up)
        {
            ScaledUp++;
        }
        else
        {
            ScaledDown++;
        }
    }
}
