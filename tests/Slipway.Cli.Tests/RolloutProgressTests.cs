using System.Text.Json;

namespace Slipway.Cli.Tests;

public sealed class RolloutProgressTests
{
    [Fact]
    public void Line_CanaryStepWithAnalysis_ShowsStepSplitAndFigures()
    {
        using var rollout = JsonDocument.Parse("""
            {"phase": "canary", "step": 1, "steps": 3, "paused": true, "stableRevision": "4", "weights": {"4": 75, "5": 25},
             "lastAnalysis": {"verdict": "fail", "canaryRequests": 120, "stableRequests": 360, "summary": "error rate 4.2% (5 of 120) > 1%"}}
            """);

        var line = RolloutProgress.Line(rollout.RootElement);

        Assert.Equal("  canary step 1/3 (paused) rev 4 (stable) 75% · rev 5 25%  analysis fail (120 new / 360 stable requests): error rate 4.2% (5 of 120) > 1%", line);
    }
}
