using Slipway.Control.Runtime;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli.Tests;

public sealed class RolloutFollowerTests
{
    private static readonly RolloutResponse Canary = Rollout("5", RolloutPhase.Canary) with { Step = 1, Steps = 2, Weights = new Dictionary<string, int> { ["4"] = 50, ["5"] = 50 } };

    private static RolloutResponse Rollout(string revision, RolloutPhase phase, RevisionOutcome? outcome = null, string? message = null) =>
        new("api", revision, "v" + revision, "4", RolloutStrategy.Canary, phase, 0, 0, false, new Dictionary<string, int>(), DateTimeOffset.UnixEpoch, 0, outcome, message, null, null);

    private static ServiceResponse Poll(RolloutResponse? rollout) => new()
    {
        Name = "api",
        Kind = ServiceKind.Run,
        Revision = "4",
        Version = "v4",
        Replicas = 1,
        Ready = 1,
        Health = ServiceHealth.Healthy,
        Secrets = [],
        Rollout = rollout,
        Address = null,
        DependsOn = [],
    };

    [Fact]
    public void Next_CanaryPromoted_ExitsZeroWithTheMessage()
    {
        var follower = new RolloutFollower("api", "5");

        Assert.Null(follower.Next(Poll(Canary)));
        Assert.Null(follower.Next(Poll(Canary)));
        Assert.Empty(follower.Output);
        var exit = follower.Next(Poll(Rollout("5", RolloutPhase.Promoted, RevisionOutcome.Promoted, "revision 5 takes all traffic")));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal((false, "api: revision 5 promoted: revision 5 takes all traffic"), follower.Output[^1]);
    }

    [Fact]
    public void Next_BlueGreenWarmPeriod_FollowedUntilTheOldSetScalesDown()
    {
        var follower = new RolloutFollower("api", "5");
        var warm = Rollout("5", RolloutPhase.Warm, RevisionOutcome.Promoted, "revision 4 stays warm for 10m");

        Assert.Null(follower.Next(Poll(warm)));
        Assert.Contains(follower.Output, o => o.Text == "api: revision 5 promoted: revision 4 stays warm for 10m");
        Assert.Contains(follower.Output, o => o.Text.StartsWith("api: following the warm period", StringComparison.Ordinal));
        Assert.Null(follower.Next(Poll(warm)));
        Assert.Empty(follower.Output);

        Assert.Equal(ExitCodes.Success, follower.Next(Poll(warm with { Phase = RolloutPhase.Promoted })));
    }

    [Fact]
    public void Next_BlueGreenRolledBackDuringItsWarmPeriod_ExitsOne()
    {
        var follower = new RolloutFollower("api", "5");
        Assert.Null(follower.Next(Poll(Rollout("5", RolloutPhase.Warm, RevisionOutcome.Promoted, "m"))));

        var exit = follower.Next(Poll(Rollout("5", RolloutPhase.RolledBack, RevisionOutcome.RolledBack, "instant rollback to warm revision 4")));

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal((true, "api: revision 5 rolled-back: instant rollback to warm revision 4"), follower.Output[^1]);
    }

    [Fact]
    public void Next_ReplacedBeforePromotion_Fails_ButAfterPromotion_Succeeds()
    {
        var other = Rollout("6", RolloutPhase.Canary) with { StableRevision = "5" };
        var early = new RolloutFollower("api", "5");
        early.Next(Poll(Canary));
        Assert.Equal(ExitCodes.Failed, early.Next(Poll(other)));

        var late = new RolloutFollower("api", "5");
        late.Next(Poll(Rollout("5", RolloutPhase.Warm, RevisionOutcome.Promoted, "m")));
        Assert.Equal(ExitCodes.Success, late.Next(Poll(other)));
        Assert.Contains("revision 6 replaced it during its warm period", late.Output[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_AbortedOrNoLongerReported_ExitsOne()
    {
        var aborted = new RolloutFollower("api", "5");
        Assert.Equal(ExitCodes.Failed, aborted.Next(Poll(Rollout("5", RolloutPhase.Aborted, RevisionOutcome.Aborted, "by alice"))));

        var gone = new RolloutFollower("api", "5");
        Assert.Equal(ExitCodes.Failed, gone.Next(Poll(null)));
    }
}
