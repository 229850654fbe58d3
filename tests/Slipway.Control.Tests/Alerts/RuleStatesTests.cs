using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Alerts;
using Slipway.Core.Alerting;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Control.Tests.Alerts;

public sealed class RuleStatesTests
{
    private static readonly AlertSample Api = new(new Dictionary<string, string> { ["service"] = "api" }, 0.5);
    private readonly FakeTimeProvider _time = TestClock.Create();

    private static RuleStates Rule(TimeSpan forDuration, TimeSpan keepFiringFor = default) => new(new AlertRule(
        "errors", AlertExpressionParser.Parse("error_ratio[1m] > 10%"), forDuration, keepFiringFor, Severity.Critical,
        new Dictionary<string, string> { ["team"] = "web" }, new Dictionary<string, string> { ["summary"] = "{{ $labels.service }} fails {{ $value }}" }));

    private IReadOnlyList<AlertInfo> Step(RuleStates rule, bool holds, int seconds = 10)
    {
        var result = rule.Apply(holds ? [Api] : [], _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(seconds));
        return result;
    }

    [Fact]
    public void Apply_HoldingCondition_IsPendingUntilExactlyFor_ThenFiring()
    {
        var rule = Rule(TimeSpan.FromSeconds(30));
        var start = _time.GetUtcNow();

        Assert.Equal(AlertState.Pending, Assert.Single(Step(rule, true)).State);
        Assert.Equal(AlertState.Pending, Assert.Single(Step(rule, true)).State);
        Assert.Equal(AlertState.Pending, Assert.Single(Step(rule, true)).State);
        var firing = Assert.Single(Step(rule, true));

        Assert.Equal(AlertState.Firing, firing.State);
        Assert.Equal(start, firing.ActiveAt);
        Assert.Equal(start + TimeSpan.FromSeconds(30), firing.FiredAt);
        Assert.Equal("api fails 0.5", firing.Annotations["summary"]);
        Assert.Equal(new Dictionary<string, string> { ["service"] = "api", ["team"] = "web", ["alertname"] = "errors", ["severity"] = "critical" }, firing.Labels);
    }

    [Fact]
    public void Apply_ForZero_FiresOnTheFirstEvaluation()
    {
        Assert.Equal(AlertState.Firing, Assert.Single(Step(Rule(TimeSpan.Zero), true)).State);
    }

    [Fact]
    public void Apply_FlappingWhilePending_StartsOverAndNeverResolves()
    {
        var rule = Rule(TimeSpan.FromSeconds(30));
        Step(rule, true);
        Step(rule, true);
        Assert.Empty(Step(rule, false));
        var again = _time.GetUtcNow();

        var pending = Assert.Single(Step(rule, true));

        Assert.Equal(AlertState.Pending, pending.State);
        Assert.Equal(again, pending.ActiveAt);
        Assert.Equal(AlertState.Pending, Assert.Single(Step(rule, true)).State);
    }

    [Fact]
    public void Apply_ConditionClearsWhileFiring_ResolvesOnceThenIsGone()
    {
        var rule = Rule(TimeSpan.Zero);
        Step(rule, true);
        var clears = _time.GetUtcNow();

        var resolved = Assert.Single(Step(rule, false));

        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.Equal(clears, resolved.ResolvedAt);
        Assert.Empty(Step(rule, false));
    }

    [Fact]
    public void Apply_KeepFiringFor_KeepsFiringUntilThatLongAfterTheConditionLastHeld()
    {
        var rule = Rule(TimeSpan.Zero, keepFiringFor: TimeSpan.FromSeconds(30));
        Step(rule, true);
        Assert.Equal(AlertState.Firing, Assert.Single(Step(rule, false)).State);   // t+10: cleared at t+10
        Assert.Equal(AlertState.Firing, Assert.Single(Step(rule, false)).State);   // t+20
        Assert.Equal(AlertState.Firing, Assert.Single(Step(rule, true)).State);    // t+30: holds again, the clock restarts
        Assert.Equal(AlertState.Firing, Assert.Single(Step(rule, false)).State);   // t+40
        Assert.Equal(AlertState.Firing, Assert.Single(Step(rule, false)).State);   // t+50
        Assert.Equal(AlertState.Firing, Assert.Single(Step(rule, false)).State);   // t+60: 20 s since t+40
        Assert.Equal(AlertState.Resolved, Assert.Single(Step(rule, false)).State); // t+70: 30 s since t+40
    }

    [Fact]
    public void Apply_EachLabelSet_IsItsOwnAlert()
    {
        var rule = Rule(TimeSpan.Zero);
        var web = new AlertSample(new Dictionary<string, string> { ["service"] = "web" }, 0.9);

        var alerts = rule.Apply([Api, web], _time.GetUtcNow());

        Assert.Equal(["api", "web"], alerts.Select(a => a.Labels["service"]).Order());
        Assert.NotEqual(alerts[0].Fingerprint, alerts[1].Fingerprint);
    }
}
