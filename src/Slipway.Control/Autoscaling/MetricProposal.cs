namespace Slipway.Control.Autoscaling;

/// <summary>What one metric proposes: a replica count and the value it read, or why it could not.</summary>
/// <param name="Current">Utilization in percent of the target's 100 % (cpu, memory), else the average per instance, over the instances that had a value.</param>
internal sealed record MetricProposal(int Replicas, double Current, string? Error)
{
    public bool Failed => Error is not null;

    public static MetricProposal Fail(string error) => new(0, 0, error);
}
