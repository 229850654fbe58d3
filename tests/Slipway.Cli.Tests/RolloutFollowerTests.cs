using System.Text.Json;

namespace Slipway.Cli.Tests;

public sealed class RolloutFollowerTests
{
    private static JsonElement Poll(string rollout) =>
        JsonDocument.Parse($$"""{"name": "api", "rollout": {{rollout}}}""").RootElement.Clone();

    private const string Canary = """{"revision": "5", "phase": "canary", "step": 1, "steps": 2, "stableRevision": "4", "weights": {"4": 50, "5": 50}}""";

    [Fact]
    public void Next_CanaryPromoted_ExitsZeroWithTheMessage()
    {
        var follower = new RolloutFollower("api", "5");

        Assert.Null(follower.Next(Poll(Canary)));
        Assert.Null(follower.Next(Poll(Canary)));
        Assert.Empty(follower.Output);
        var exit = follower.Next(Poll("""{"revision": "5", "phase": "promoted", "stableRevision": "4", "weights": {"5": 100}, "outcome": "promoted", "message": "revision 5 takes all traffic"}"""));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal((false, "api: revision 5 promoted: revision 5 takes all traffic"), follower.Output[^1]);
    }

    [Fact]
    public void Next_BlueGreenWarmPeriod_FollowedUntilTheOldSetScalesDown()
    {
        var follower = new RolloutFollower("api", "5");
        const string Warm = """{"revision": "5", "phase": "warm", "stableRevision": "4", "weights": {"5": 100}, "outcome": "promoted", "message": "revision 4 stays warm for 10m"}""";

        Assert.Null(follower.Next(Poll(Warm)));
        Assert.Contains(follower.Output, o => o.Text == "api: revision 5 promoted: revision 4 stays warm for 10m");
        Assert.Contains(follower.Output, o => o.Text.StartsWith("api: following the warm period", StringComparison.Ordinal));
        Assert.Null(follower.Next(Poll(Warm)));
        Assert.Empty(follower.Output);

        Assert.Equal(ExitCodes.Success, follower.Next(Poll(Warm.Replace("\"phase\": \"warm\"", "\"phase\": \"promoted\"", StringComparison.Ordinal))));
    }

    [Fact]
    public void Next_BlueGreenRolledBackDuringItsWarmPeriod_ExitsOne()
    {
        var follower = new RolloutFollower("api", "5");
        Assert.Null(follower.Next(Poll("""{"revision": "5", "phase": "warm", "stableRevision": "4", "outcome": "promoted", "message": "m"}""")));

        var exit = follower.Next(Poll("""{"revision": "5", "phase": "rolled-back", "stableRevision": "4", "outcome": "rolled-back", "message": "instant rollback to warm revision 4"}"""));

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal((true, "api: revision 5 rolled-back: instant rollback to warm revision 4"), follower.Output[^1]);
    }

    [Fact]
    public void Next_ReplacedBeforePromotion_Fails_ButAfterPromotion_Succeeds()
    {
        const string Other = """{"revision": "6", "phase": "canary", "stableRevision": "5"}""";
        var early = new RolloutFollower("api", "5");
        early.Next(Poll(Canary));
        Assert.Equal(ExitCodes.Failed, early.Next(Poll(Other)));

        var late = new RolloutFollower("api", "5");
        late.Next(Poll("""{"revision": "5", "phase": "warm", "stableRevision": "4", "outcome": "promoted", "message": "m"}"""));
        Assert.Equal(ExitCodes.Success, late.Next(Poll(Other)));
        Assert.Contains("revision 6 replaced it during its warm period", late.Output[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_AbortedOrNoLongerReported_ExitsOne()
    {
        var aborted = new RolloutFollower("api", "5");
        Assert.Equal(ExitCodes.Failed, aborted.Next(Poll("""{"revision": "5", "phase": "aborted", "stableRevision": "4", "outcome": "aborted", "message": "by alice"}""")));

        var gone = new RolloutFollower("api", "5");
        Assert.Equal(ExitCodes.Failed, gone.Next(JsonDocument.Parse("""{"name": "api"}""").RootElement.Clone()));
    }
}
