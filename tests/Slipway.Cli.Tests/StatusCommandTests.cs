using Slipway.Control.Analysis;
using Slipway.Control.Runtime;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli.Tests;

public sealed class StatusCommandTests
{
    [Fact]
    public void RolloutHeading_CanaryHeldForAVerdict_SaysWhyWithTheFigures()
    {
        var rollout = new RolloutResponse("api", "5", "v5", "4", RolloutStrategy.Canary, RolloutPhase.AwaitingVerdict, 2, 2, false,
            new Dictionary<string, int> { ["4"] = 50, ["5"] = 50 }, DateTimeOffset.UnixEpoch, 0, null,
            "held at 50% until an analysis passes: not judged yet: 7 of 20 requests", null,
            new AnalysisResponse(AnalysisVerdict.Inconclusive, "7 requests to the new revision, 20 needed before a verdict", 7, 40, []));

        Assert.Equal("api: canary rollout of revision 5 (version v5) held at 50% until an analysis passes: not judged yet: 7 of 20 requests",
            StatusCommand.RolloutHeading("api", rollout));
        Assert.StartsWith("  awaiting-verdict step 2/2", RolloutProgress.Line(rollout), StringComparison.Ordinal);
    }

    [Fact]
    public void RolloutHeading_RunningWithNothingToSay_InProgress()
    {
        var rollout = new RolloutResponse("api", "5", "v5", "4", RolloutStrategy.Canary, RolloutPhase.Canary, 1, 2, false,
            new Dictionary<string, int> { ["4"] = 75, ["5"] = 25 }, DateTimeOffset.UnixEpoch, 0, null, null, null, null);

        Assert.Equal("api: canary rollout of revision 5 (version v5) in progress", StatusCommand.RolloutHeading("api", rollout));
    }
}
