namespace Slipway.Control.Alerts;

/// <summary>Prometheus' alert states. An inactive alert is not kept; <see cref="Resolved"/> is reported once, when it stops firing.</summary>
internal enum AlertState
{
    Pending,
    Firing,
    Resolved,
}
