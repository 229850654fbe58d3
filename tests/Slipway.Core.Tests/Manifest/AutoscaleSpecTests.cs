using Slipway.Core.Manifest;

namespace Slipway.Core.Tests.Manifest;

/// <summary><c>autoscale</c> in the manifest: accepted, its defaults, and every mistake named at its place.</summary>
public sealed class AutoscaleSpecTests
{
    private const string Service = "app: a\nservices:\n  api:\n    run: { command: x }\n    routes: [ { path: / } ]\n";

    private static ManifestLoadResult Load(string yaml) => ManifestLoader.LoadText(yaml, "app.yaml", Path.GetTempPath());

    private static IReadOnlyList<string> Errors(string keys) => [.. Load(Service + keys).FormattedErrors];

    [Fact]
    public void Load_AutoscaleWithoutReplicas_StartsAtMinWithTheHpaDefaults()
    {
        var result = Load(Service + "    autoscale: { min: 3, max: 8, cpu: 70%, rpsPerInstance: 200 }\n");

        Assert.True(result.IsValid, string.Join("\n", result.FormattedErrors));
        var api = result.Manifest!.Services["api"];
        Assert.Equal(3, api.InitialReplicas);
        Assert.Equal(TimeSpan.FromSeconds(15), api.Autoscale!.Interval);
        Assert.Null(api.Autoscale.ScaleDown.Stabilization); // the direction's default (5m) is the autoscaler's to fill
    }

    [Fact]
    public void Load_ReplicasWrittenWithinTheBounds_StartsThere()
    {
        var result = Load(Service + "    replicas: 5\n    autoscale: { min: 3, max: 8, cpu: 70% }\n");

        Assert.Equal(5, result.Manifest!.Services["api"].InitialReplicas);
    }

    [Theory]
    [InlineData("    autoscale: { min: 5, max: 3, cpu: 70% }\n", "services.api.autoscale.min must not be greater than max (3) (got 5)")]
    [InlineData("    autoscale: { min: 0, max: 3, cpu: 70% }\n", "services.api.autoscale.min")]
    [InlineData("    autoscale: { max: 3 }\n", "services.api.autoscale needs a target")]
    [InlineData("    autoscale: { max: 3, cpu: 0% }\n", "services.api.autoscale.cpu must be between 1% and 1000% (got 0%)")]
    [InlineData("    replicas: 9\n    autoscale: { max: 3, cpu: 70% }\n", "services.api.replicas must be between autoscale.min (1) and autoscale.max (3) (got 9)")]
    [InlineData("    autoscale: { max: 3, memory: 80% }\n", "services.api.autoscale.memory is a share of resources.memory, which is not set")]
    [InlineData("    autoscale: { max: 3, app: { metric: queue_depth, target: 100 } }\n", "services.api.autoscale.app reads what the service serves on `metrics.path`, but the service has no `metrics:`")]
    [InlineData("    autoscale: { max: 3, cpu: 70%, interval: 20m }\n", "services.api.autoscale.interval must be between 1s and 10m (got 20m)")]
    [InlineData("    autoscale: { max: 3, cpu: 70%, scaleUp: { policies: [ { percent: 50, instances: 2 } ] } }\n", "services.api.autoscale.scaleUp.policies[0] needs exactly one of `percent` or `instances`")]
    [InlineData("    autoscale: { max: 3, cpu: 70%, scaleDown: { policies: [] } }\n", "services.api.autoscale.scaleDown.policies must list at least one policy")]
    [InlineData("    autoscale: { max: 3, cpu: 70%, scaleDown: { selectPolicy: sometimes } }\n", "services.api.autoscale.scaleDown.selectPolicy")]
    [InlineData("    autoscale: { max: 3, cpu: 70%, schedule: [ { cron: \"0 0 31 2 *\", duration: 1h, min: 1 } ] }\n", "services.api.autoscale.schedule[0].cron never fires")]
    [InlineData("    autoscale: { max: 3, cpu: 70%, schedule: [ { cron: \"0 22 * * *\", duration: 9h, min: 5 } ] }\n", "services.api.autoscale.schedule[0] makes min 5 greater than max 3 (max is autoscale.max)")]
    [InlineData("    autoscale: { max: 3, cpu: 70%, schedule: [ { cron: \"0 22 * * *\", duration: 9h } ] }\n", "services.api.autoscale.schedule[0] needs `min`, `max` or both")]
    public void Load_AutoscaleMistake_NamedAtItsPlace(string keys, string expected)
    {
        var errors = Errors(keys);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal) && e.StartsWith("app.yaml:", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_RequestTargetOnAServiceNoRequestReaches_Refused()
    {
        var errors = Load("app: a\nservices:\n  worker:\n    run: { command: x }\n    autoscale: { max: 3, rpsPerInstance: 10 }\n").FormattedErrors;

        Assert.Contains(errors, e => e.Contains("services.worker.autoscale.rpsPerInstance counts the requests Slipway's proxy forwards, but the service has no routes", StringComparison.Ordinal));
    }
}
