using Slipway.Control.Events;

namespace Slipway.Control.Tests.Autoscaling;

/// <summary>One service's autoscaling look after look on a manual clock: decisions carried out, said and held back.</summary>
public sealed class AutoscalerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Sync_CpuTwiceTheTarget_ScalesUpAndSaysWhy()
    {
        using var host = new AutoscalerHost("{ min: 2, max: 10, cpu: 50% }", replicas: 2) { CpuPercent = 100 };

        await host.LookAfterAsync(Interval);

        Assert.Equal([4], host.Resizes);
        var scaled = Assert.Single(host.Of(EventKinds.Autoscaled));
        Assert.Equal("2 → 4: cpu 100%/50%", scaled.Message);
        var status = host.Autoscaler.Status("api")!;
        Assert.Equal((2, 4, 2, 10), (status.Current, status.Desired, status.Min, status.Max));
    }

    [Fact]
    public async Task Sync_LoadGone_ScalesDownOnlyAfterTheStabilizationWindow()
    {
        using var host = new AutoscalerHost("{ min: 2, max: 10, cpu: 50%, scaleDown: { stabilization: 1m } }", replicas: 2) { CpuPercent = 100 };
        await host.LookAfterAsync(Interval);
        Assert.Equal(4, host.Replicas);

        host.CpuPercent = 5;
        await host.LookAfterAsync(Interval);
        await host.LookAfterAsync(Interval);
        await host.LookAfterAsync(Interval);
        Assert.Equal(4, host.Replicas); // the 4 of a minute ago still counts

        await host.LookAfterAsync(Interval + TimeSpan.FromSeconds(1));

        Assert.Equal(2, host.Replicas);
        Assert.Equal("4 → 2: all targets below: cpu 5%/50% (at autoscale min 2)", host.Of(EventKinds.Autoscaled).Last().Message);
    }

    [Fact]
    public async Task Sync_CountAboveMax_GoesStraightToMax()
    {
        // As after `slipway apply` lowered autoscale.max below the count the service has.
        using var host = new AutoscalerHost("{ min: 1, max: 3, cpu: 50% }", replicas: 3) { CpuPercent = 50 };
        host.SetReplicas(5);

        await host.LookAfterAsync(Interval);

        Assert.Equal([3], host.Resizes);
        Assert.Equal("5 → 3: above autoscale.max 3", host.Of(EventKinds.Autoscaled).Single().Message);
    }

    [Fact]
    public async Task Sync_AtMaxUnderLoad_StaysAndSaysSo()
    {
        using var host = new AutoscalerHost("{ min: 1, max: 2, cpu: 50% }", replicas: 2) { CpuPercent = 500 };

        await host.LookAfterAsync(Interval);

        Assert.Empty(host.Resizes);
        Assert.Equal("at autoscale max 2", host.Autoscaler.Status("api")!.Limited);
    }

    [Fact]
    public async Task Sync_DuringARollout_HeldAndSaidOnceThenResumes()
    {
        using var host = new AutoscalerHost("{ min: 2, max: 10, cpu: 50% }", replicas: 2) { CpuPercent = 100, Hold = "rolling rollout of revision r2 is progressing" };

        await host.LookAfterAsync(Interval);
        await host.LookAfterAsync(Interval);

        Assert.Empty(host.Resizes);
        var held = Assert.Single(host.Of(EventKinds.AutoscaleHeld));
        Assert.Equal("paused while the rolling rollout of revision r2 is progressing", held.Message);
        Assert.NotNull(host.Autoscaler.Status("api")!.Held);

        host.Hold = null;
        await host.LookAfterAsync(Interval);

        Assert.Single(host.Of(EventKinds.AutoscaleResumed));
        Assert.Equal([4], host.Resizes);
    }

    [Fact]
    public async Task Sync_TargetThatCannotBeRead_HoldsTheServiceAtItsSize()
    {
        // Nothing serves queue_depth: no proposal can be made, so nothing changes, and the event says which.
        using var host = new AutoscalerHost("{ min: 2, max: 10, app: { metric: queue_depth, target: 100 } }", replicas: 3, extra: "    metrics: { path: /metrics }");

        await host.LookAfterAsync(Interval);

        Assert.Empty(host.Resizes);
        var held = Assert.Single(host.Of(EventKinds.AutoscaleHeld));
        Assert.Contains("cannot read queue_depth", held.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_UnreadableTargetBesideOneThatSaysDown_DoesNotScaleDown()
    {
        using var host = new AutoscalerHost("{ min: 1, max: 10, cpu: 50%, app: { metric: queue_depth, target: 100 }, scaleDown: { stabilization: 0s } }", replicas: 4,
            extra: "    metrics: { path: /metrics }") { CpuPercent = 5 };

        await host.LookAfterAsync(Interval);

        Assert.Empty(host.Resizes);
        Assert.Contains("not scaling down on the other targets alone", host.Of(EventKinds.AutoscaleHeld).Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_ScheduledBoundsInForce_RaisesTheCountSaysItAndAuditsIt()
    {
        // The clock starts at 00:00 UTC, inside the entry that fired at 22:00 for 9 hours.
        using var host = new AutoscalerHost("{ min: 2, max: 10, cpu: 50%, schedule: [ { cron: \"0 22 * * *\", duration: 9h, min: 4 } ] }", replicas: 2) { CpuPercent = 50 };

        await host.LookAfterAsync(Interval);

        Assert.Equal([4], host.Resizes);
        Assert.Equal("2 → 4: below autoscale.schedule[0].min 4", host.Of(EventKinds.Autoscaled).Single().Message);
        Assert.StartsWith("bounds 4–10 from autoscale.schedule[0]", host.Of(EventKinds.AutoscaleBounds).Single().Message, StringComparison.Ordinal);
        var audited = Assert.Single(host.Audit.List(), e => e.Actor == "autoscaler");
        Assert.Equal(("autoscaler", "4", "10"), (audited.Actor, audited.Arguments["min"], audited.Arguments["max"]));

        // At 07:00 the entry ends: the service's own bounds again, said and audited; on target, the count stays.
        await host.LookAfterAsync(TimeSpan.FromHours(7));

        Assert.Equal("bounds back to autoscale.min/max 2–10", host.Of(EventKinds.AutoscaleBounds).Last().Message);
        Assert.Equal(2, host.Audit.List().Count(e => e.Actor == "autoscaler"));
        Assert.Equal([4], host.Resizes);
    }

    [Fact]
    public async Task WriteMetrics_AfterALook_DesiredCurrentAndTheTargetsReading()
    {
        using var host = new AutoscalerHost("{ min: 2, max: 10, cpu: 50% }", replicas: 2) { CpuPercent = 100 };
        await host.LookAfterAsync(Interval);
        var text = new System.Text.StringBuilder();

        host.Autoscaler.WriteMetrics(new Slipway.Control.Telemetry.MetricsWriter(text));

        Assert.Contains("slipway_autoscaler_desired_replicas{service=\"api\"} 4\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("slipway_autoscaler_current_replicas{service=\"api\"} 2\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("slipway_autoscaler_metric_value{service=\"api\",metric=\"cpu\"} 100\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("slipway_autoscaler_scale_events_total{service=\"api\",direction=\"up\"} 1\n", text.ToString(), StringComparison.Ordinal);
    }
}
