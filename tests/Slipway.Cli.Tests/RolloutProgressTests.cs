using Slipway.Control.Analysis;
using Slipway.Control.Runtime;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli.Tests;

public sealed class RolloutProgressTests
{
    [Fact]
    public void Line_CanaryStepWithAnalysis_ShowsStepSplitAndFigures()
    {
        var rollout = new RolloutResponse("api", "5", "v5", "4", RolloutStrategy.Canary, RolloutPhase.Canary, 1, 3, true, new Dictionary<string, int> { ["4"] = 75, ["5"] = 25 },
            DateTimeOffset.UnixEpoch, 1, null, null, null, new AnalysisResponse(AnalysisVerdict.Fail, "error rate 4.2% (5 of 120) > 1%", 120, 360, []));

        var line = RolloutProgress.Line(rollout);

        Assert.Equal("  canary step 1/3 (paused) rev 4 (stable) 75% · rev 5 25%  analysis fail (120 new / 360 stable requests): error rate 4.2% (5 of 120) > 1%", line);
    }
}
