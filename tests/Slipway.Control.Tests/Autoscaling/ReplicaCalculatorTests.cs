using Slipway.Control.Autoscaling;
using Slipway.Testing;

namespace Slipway.Control.Tests.Autoscaling;

/// <summary>
/// The replica calculator against the HorizontalPodAutoscaler's documented cases
/// (kubernetes.io, "Horizontal Pod Autoscaling": algorithm details): the ratio, the tolerance, not-ready and
/// missing instances on each direction, and a proposal the assumptions would reverse.
/// </summary>
public sealed class ReplicaCalculatorTests
{
    private static readonly DateTimeOffset Now = TestClock.Start + TimeSpan.FromHours(1);

    /// <summary>A ready instance long past its start, using <paramref name="cores"/> of its one core.</summary>
    private static InstanceSample Cpu(string id, double? cores, InstanceState state = InstanceState.Running, bool ready = true) =>
        new(id, state, ready, Now - TimeSpan.FromHours(1), Now - TimeSpan.FromMinutes(50), cores, Now - TimeSpan.FromSeconds(5), Request: 1);

    private static InstanceSample Plain(string id, double? value, InstanceState state = InstanceState.Running, bool ready = true) =>
        new(id, state, ready, Now - TimeSpan.FromHours(1), Now - TimeSpan.FromMinutes(50), value);

    private static MetricProposal Utilization(int current, double target, params InstanceSample[] instances) =>
        ReplicaCalculator.Utilization(instances, current, target, Tolerances.Default, cpu: true, Now);

    [Fact]
    public void Utilization_TwiceTheTarget_DoublesTheReplicas()
    {
        // The documentation's example: 200m used where 100m is the target → twice the replicas.
        var proposal = Utilization(3, 50, Cpu("a", 1.0), Cpu("b", 1.0), Cpu("c", 1.0));

        Assert.Equal(6, proposal.Replicas);
        Assert.Equal(100, proposal.Current);
    }

    [Fact]
    public void Utilization_WithinTheTolerance_KeepsTheCurrentCount()
    {
        // 53% of a 50% target is a ratio of 1.06: within 10%, no change.
        Assert.Equal(3, Utilization(3, 50, Cpu("a", 0.53), Cpu("b", 0.53), Cpu("c", 0.53)).Replicas);
    }

    [Fact]
    public void Utilization_JustOutsideTheTolerance_RoundsUp()
    {
        // 60% of 50% is 1.2: ceil(3 × 1.2) = 4.
        Assert.Equal(4, Utilization(3, 50, Cpu("a", 0.6), Cpu("b", 0.6), Cpu("c", 0.6)).Replicas);
    }

    [Fact]
    public void Utilization_FarBelowTheTarget_ScalesDownByTheRatio()
    {
        // 20% of 50% is 0.4: ceil(4 × 0.4) = 2.
        Assert.Equal(2, Utilization(4, 50, Cpu("a", 0.2), Cpu("b", 0.2), Cpu("c", 0.2), Cpu("d", 0.2)).Replicas);
    }

    [Fact]
    public void Utilization_NotReadyOnAScaleUp_CountAsIdleSoTheScaleUpShrinks()
    {
        // Four ready at 80% of a 50% target alone ask ceil(4 × 1.6) = 7; the two pending as 0% bring it to 53%,
        // within the tolerance, so the count stays.
        var proposal = Utilization(6, 50, Cpu("a", 0.8), Cpu("b", 0.8), Cpu("c", 0.8), Cpu("d", 0.8),
            Cpu("e", null, InstanceState.Pending, ready: false), Cpu("f", null, InstanceState.Pending, ready: false));

        Assert.Equal(6, proposal.Replicas);
    }

    [Fact]
    public void Utilization_NotReadyOnAScaleDown_AreLeftOut()
    {
        // Two ready at 10% of 50%: ceil(2 × 0.2) = 1; the pending one changes nothing.
        Assert.Equal(1, Utilization(3, 50, Cpu("a", 0.1), Cpu("b", 0.1), Cpu("c", null, InstanceState.Pending, ready: false)).Replicas);
    }

    [Fact]
    public void Utilization_MissingOnAScaleDown_CountAsAtTheirWholeRequest()
    {
        // Two at 10% alone ask for 1; the third, unread, counts as 100%: 40% of 50% → ceil(3 × 0.8) = 3.
        Assert.Equal(3, Utilization(3, 50, Cpu("a", 0.1), Cpu("b", 0.1), Cpu("c", null)).Replicas);
    }

    [Fact]
    public void Utilization_MissingOnAScaleUp_CountAsIdle()
    {
        // Two at 100% of 50% alone ask for 4 of 2 ready; the unread one at 0% makes 66%: ceil(3 × 1.32) = 4.
        Assert.Equal(4, Utilization(3, 50, Cpu("a", 1.0), Cpu("b", 1.0), Cpu("c", null)).Replicas);
    }

    [Fact]
    public void Utilization_AssumptionsReverseTheDirection_KeepsTheCurrentCount()
    {
        // One ready at 100% of 50% says up; two pending as 0% make it 33%, which says down: no change.
        Assert.Equal(3, Utilization(3, 50, Cpu("a", 1.0), Cpu("b", null, InstanceState.Pending, ready: false), Cpu("c", null, InstanceState.Pending, ready: false)).Replicas);
    }

    [Fact]
    public void Utilization_GoneInstances_AreLeftOutOfEveryCount()
    {
        Assert.Equal(4, Utilization(2, 50, Cpu("a", 1.0), Cpu("b", 1.0), Cpu("c", 0, InstanceState.Gone, ready: false)).Replicas);
    }

    [Fact]
    public void Utilization_YoungInstanceSampledBeforeItWasReady_NotTrustedForCpu()
    {
        // Started a minute ago and ready 10 s ago, but its CPU sample began before that: start-up work, not load.
        var young = new InstanceSample("b", InstanceState.Running, true, Now - TimeSpan.FromMinutes(1), Now - TimeSpan.FromSeconds(10), 1.0, Now - TimeSpan.FromSeconds(15), Request: 1);

        var proposal = Utilization(2, 50, Cpu("a", 0.5), young);

        // Only a counts: 50% of a 50% target, no change (b's reading too would have made 75% and asked for 3).
        Assert.Equal(2, proposal.Replicas);
    }

    [Fact]
    public void Utilization_NoReadings_Fails()
    {
        var proposal = Utilization(2, 50, Cpu("a", null, InstanceState.Pending, ready: false));

        Assert.True(proposal.Failed);
    }

    [Fact]
    public void Average_RequestsPerInstanceAboveTarget_ScalesByTheRatio()
    {
        // 412 per instance where 200 is the target: ceil(3 × 2.06) = 7.
        var proposal = ReplicaCalculator.Average([Plain("a", 412), Plain("b", 412), Plain("c", 412)], 3, 200, Tolerances.Default, Now);

        Assert.Equal(7, proposal.Replicas);
        Assert.Equal(412, proposal.Current);
    }

    [Fact]
    public void Average_MissingOnAScaleDown_CountAsExactlyAtTheTarget()
    {
        // a and b at 20 of 100 alone ask for 1; c unread counts as 100: 46 → ceil(3 × 0.46) = 2.
        var proposal = ReplicaCalculator.Average([Plain("a", 20), Plain("b", 20), Plain("c", null)], 3, 100, Tolerances.Default, Now);

        Assert.Equal(2, proposal.Replicas);
    }

    [Fact]
    public void Average_ToleranceOfTheDirection_IsTheOneApplied()
    {
        // Ten at 85 of 100: the default 10% asks for ceil(10 × 0.85) = 9; a 20% scale-down tolerance keeps 10.
        var at85 = Enumerable.Range(0, 10).Select(i => Plain($"i{i}", 85)).ToArray();

        Assert.Equal(9, ReplicaCalculator.Average(at85, 10, 100, Tolerances.Default, Now).Replicas);
        Assert.Equal(10, ReplicaCalculator.Average(at85, 10, 100, new Tolerances(0.2, 0.1), Now).Replicas);
    }
}
