using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Alerts;
using Slipway.Control.Notifications;
using Slipway.Control.State;
using Slipway.Control.Telemetry;
using Slipway.Core.Alerting;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Testing;

namespace Slipway.Control.Tests.Notifications;

/// <summary>The notifier against a real HTTP receiver on 127.0.0.1, its clock moved by hand.</summary>
public sealed class NotifierTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly LocalReceiver _hook = new();
    private readonly LocalReceiver _slack = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly List<string> _failures = [];
    private readonly TempDirectory _dir = new();
    private Notifier _notifier = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_notifier is not null)
        {
            await _notifier.DisposeAsync();
        }

        await _hook.DisposeAsync();
        await _slack.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }

    private Notifier Start(IReadOnlyList<AlertRouteSpec>? routes = null, bool sendResolved = true, NotifierOptions? options = null, IReadOnlyList<InhibitRuleSpec>? inhibit = null)
    {
        var spec = new AlertsSpec
        {
            Inhibit = inhibit ?? InhibitRuleSpec.BuiltIn,
            Receivers = new Dictionary<string, ReceiverSpec>
            {
                ["hook"] = new() { Webhook = ValueReference.Parse(_hook.Url + "hook"), SendResolved = sendResolved },
                ["chat"] = new() { Slack = ValueReference.Parse("env:SLIPWAY_TEST_SLACK_URL") },
            },
            Routes = routes ??
            [
                new AlertRouteSpec { Match = new Dictionary<string, string> { ["severity"] = "info" }, Receiver = "chat" },
                new AlertRouteSpec
                {
                    Receiver = "hook", GroupBy = ["alertname"], GroupWait = TimeSpan.FromSeconds(30),
                    GroupInterval = TimeSpan.FromMinutes(5), RepeatInterval = TimeSpan.FromHours(1),
                },
            ],
        };
        var receivers = AlertReceivers.FromSpec(spec, r => r.Kind == ValueReferenceKind.Env ? _slack.Url : r.Literal, _http);
        _notifier = new Notifier(spec, receivers, new SilenceStore(_dir.Path, _time), _time, NullLogger.Instance,
            options ?? new NotifierOptions()) { ExternalUrl = "http://127.0.0.1:7070/api/v1/alerts" };
        _notifier.ReceiverFailed += (receiver, reason, _) => _failures.Add($"{receiver}: {reason}");
        _notifier.Start();
        return _notifier;
    }

    private AlertInfo Alert(string name, string service, string severity = "critical", AlertState state = AlertState.Firing)
    {
        var labels = new Dictionary<string, string> { ["alertname"] = name, ["service"] = service, ["severity"] = severity };
        var now = _time.GetUtcNow();
        return new AlertInfo(name, state, labels, new Dictionary<string, string> { ["summary"] = $"{service} is in trouble" }, 0.5,
            now - TimeSpan.FromMinutes(5), now, state == AlertState.Resolved ? now : null);
    }

    private async Task Advance(TimeSpan by)
    {
        _time.Advance(by);
        await _notifier.IdleAsync();
    }

    [Fact]
    public async Task Group_WaitsGroupWait_ThenSendsOneWebhookV4BodyWithEveryAlert()
    {
        Start();
        _notifier.Update([Alert("high-error-rate", "api"), Alert("high-error-rate", "web")]);

        await Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(_hook.Received);
        await Advance(TimeSpan.FromSeconds(1));

        var (path, body) = Assert.Single(_hook.Received);
        Assert.Equal("/hook", path);
        Assert.Equal("4", (string?)body["version"]);
        Assert.Equal("firing", (string?)body["status"]);
        Assert.Equal("hook", (string?)body["receiver"]);
        Assert.Equal("hook:{alertname=\"high-error-rate\"}", (string?)body["groupKey"]);
        Assert.Equal(0, (int?)body["truncatedAlerts"]);
        Assert.Equal("""{"alertname":"high-error-rate"}""", body["groupLabels"]!.ToJsonString());
        Assert.Equal("""{"alertname":"high-error-rate","severity":"critical"}""", body["commonLabels"]!.ToJsonString());
        Assert.Equal("http://127.0.0.1:7070/api/v1/alerts", (string?)body["externalURL"]);
        var alerts = body["alerts"]!.AsArray();
        Assert.Equal(["api", "web"], alerts.Select(a => (string?)a!["labels"]!["service"]).Order());
        var first = alerts[0]!;
        Assert.Equal("firing", (string?)first["status"]);
        Assert.Equal("0001-01-01T00:00:00Z", (string?)first["endsAt"]);
        Assert.Equal("2026-01-01T00:00:00.000Z", (string?)first["startsAt"]);
        Assert.Matches("^[0-9a-f]{16}$", (string?)first["fingerprint"]);
        Assert.Equal("api is in trouble", (string?)first["annotations"]!["summary"]);
    }

    [Fact]
    public async Task Group_Unchanged_IsResentOnlyAfterRepeatInterval_AndAddedAlertsWaitForGroupInterval()
    {
        Start();
        _notifier.Update([Alert("high-error-rate", "api")]);
        await Advance(TimeSpan.FromSeconds(30));
        Assert.Single(_hook.Received);

        await Advance(TimeSpan.FromMinutes(5));
        Assert.Single(_hook.Received);

        _notifier.Update([Alert("high-error-rate", "api"), Alert("high-error-rate", "web")]);
        await Advance(TimeSpan.FromMinutes(4));
        Assert.Single(_hook.Received);
        await Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, _hook.Received.Count);
        Assert.Equal(2, _hook.Received[1].Body["alerts"]!.AsArray().Count);

        // The group last changed 10 minutes in; an hour later it is told again.
        await Advance(TimeSpan.FromMinutes(45));
        Assert.Equal(2, _hook.Received.Count);
        await Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(3, _hook.Received.Count);
    }

    [Fact]
    public async Task Resolved_IsSentAtTheNextFlush_ThenTheGroupIsGone()
    {
        Start();
        _notifier.Update([Alert("instance-down", "api")]);
        await Advance(TimeSpan.FromSeconds(30));

        _notifier.Update([Alert("instance-down", "api", state: AlertState.Resolved)]);
        await Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(2, _hook.Received.Count);
        var body = _hook.Received[1].Body;
        Assert.Equal("resolved", (string?)body["status"]);
        Assert.Equal("resolved", (string?)body["alerts"]![0]!["status"]);
        Assert.NotEqual("0001-01-01T00:00:00Z", (string?)body["alerts"]![0]!["endsAt"]);
        await Advance(TimeSpan.FromHours(2));
        Assert.Equal(2, _hook.Received.Count);
    }

    [Fact]
    public async Task Resolved_BeforeTheGroupWasEverTold_SendsNothing()
    {
        Start();
        _notifier.Update([Alert("instance-down", "api")]);
        await Advance(TimeSpan.FromSeconds(10));
        _notifier.Update([Alert("instance-down", "api", state: AlertState.Resolved)]);
        await Advance(TimeSpan.FromHours(1));

        Assert.Empty(_hook.Received);
    }

    [Fact]
    public async Task Resolved_IsNotSent_WhenTheReceiverSaysSo()
    {
        Start(sendResolved: false);
        _notifier.Update([Alert("instance-down", "api")]);
        await Advance(TimeSpan.FromSeconds(30));
        _notifier.Update([Alert("instance-down", "api", state: AlertState.Resolved)]);
        await Advance(TimeSpan.FromMinutes(10));

        Assert.Single(_hook.Received);
    }

    [Fact]
    public async Task Inhibition_CriticalMutesWarningsOfTheSameServiceOnly()
    {
        Start([new AlertRouteSpec { Receiver = "hook", GroupBy = ["alertname", "service"], GroupWait = TimeSpan.FromSeconds(10) }]);
        var critical = Alert("high-error-rate", "api");
        var apiWarning = Alert("high-latency", "api", "warning");
        var webWarning = Alert("high-latency", "web", "warning");
        _notifier.Update([critical, apiWarning, webWarning]);

        await Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["high-error-rate api", "high-latency web"], _hook.Received.Select(r => $"{r.Body["groupLabels"]!["alertname"]} {r.Body["groupLabels"]!["service"]}").Order());
        Assert.Equal("inhibited by high-error-rate", _notifier.Muted(apiWarning));
        Assert.Null(_notifier.Muted(webWarning));

        // Once the critical alert resolves, the warning is no longer muted and is sent at the group's next flush.
        _notifier.Update([critical with { State = AlertState.Resolved, ResolvedAt = _time.GetUtcNow() }, apiWarning, webWarning]);
        Assert.Null(_notifier.Muted(apiWarning));
    }

    [Fact]
    public void Inhibition_RulesOfTheManifest_ReplaceTheBuiltInOnes()
    {
        Start(inhibit:
        [
            new InhibitRuleSpec
            {
                Source = new Dictionary<string, string> { ["alertname"] = "instance-down" },
                Target = new Dictionary<string, string> { ["alertname"] = "high-error-rate" },
                Equal = ["service"],
            },
        ]);
        var down = Alert("instance-down", "api");
        var errors = Alert("high-error-rate", "api");
        var warning = Alert("high-latency", "api", "warning");
        _notifier.Update([down, errors, warning]);

        Assert.Equal("inhibited by instance-down", _notifier.Muted(errors));
        Assert.Null(_notifier.Muted(warning));
        Assert.Null(_notifier.Muted(down));
    }

    [Fact]
    public void Inhibition_Empty_TurnsItOff()
    {
        Start(inhibit: []);
        var critical = Alert("high-error-rate", "api");
        var warning = Alert("high-latency", "api", "warning");
        _notifier.Update([critical, warning]);

        Assert.Null(_notifier.Muted(warning));
    }

    [Fact]
    public async Task Silence_MutesMatchingAlerts_UntilItEnds_AndOutlivesTheStore()
    {
        Start([new AlertRouteSpec { Receiver = "hook", GroupBy = ["service"], GroupWait = TimeSpan.FromSeconds(10), GroupInterval = TimeSpan.FromMinutes(1) }]);
        var silence = _notifier.Silences.Add([new LabelMatcher("service", "api", true)], TimeSpan.FromMinutes(30), "alice", "deploying");
        var stored = Assert.Single(new SilenceStore(_dir.Path, _time).List());
        Assert.Equal((silence.Id, silence.EndsAt, "alice", "deploying"), (stored.Id, stored.EndsAt, stored.CreatedBy, stored.Comment));
        Assert.Equal(silence.Matchers, stored.Matchers);

        _notifier.Update([Alert("instance-down", "api"), Alert("instance-down", "web")]);
        await Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["web"], _hook.Received.Select(r => (string?)r.Body["groupLabels"]!["service"]));
        Assert.Equal($"silenced by {silence.Id}", _notifier.Muted(Alert("instance-down", "api")));

        await Advance(TimeSpan.FromMinutes(30));
        Assert.Contains("api", _hook.Received.Select(r => (string?)r.Body["groupLabels"]!["service"]));
        Assert.Empty(new SilenceStore(_dir.Path, _time).List());
    }

    [Fact]
    public async Task Slack_GetsTextAndAMrkdwnBlock_ForInfoAlertsAndDeployEvents()
    {
        Start();
        _notifier.Update([Alert("quiet", "api", "info")]);
        await Advance(TimeSpan.FromSeconds(30));
        _notifier.Notify(new EventRecord(_time.GetUtcNow(), "api", null, "rollout-promoted", "api revision 7 promoted to 100%"));
        await _notifier.IdleAsync();

        Assert.Equal(2, _slack.Received.Count);
        var alert = _slack.Received[0].Body;
        Assert.Equal("[FIRING:1] quiet api\n• info: api is in trouble", (string?)alert["text"]);
        Assert.Equal("mrkdwn", (string?)alert["blocks"]![0]!["text"]!["type"]);
        Assert.Equal(alert["text"]!.ToString(), (string?)alert["blocks"]![0]!["text"]!["text"]);
        Assert.Equal("[deploy] api: rollout-promoted\n• api revision 7 promoted to 100%", (string?)_slack.Received[1].Body["text"]);

        // The deploy event also matched the webhook's catch-all route? No: the info route does not continue.
        Assert.Empty(_hook.Received);
    }

    [Fact]
    public async Task Delivery_FailingThenAnswering_IsRetriedWithBackoff()
    {
        Start(options: new NotifierOptions { MaxAttempts = 3, FirstBackoff = TimeSpan.FromSeconds(2) });
        _hook.FailNext = 1;
        _notifier.Update([Alert("instance-down", "api")]);
        _time.Advance(TimeSpan.FromSeconds(30));

        await DriveUntilIdle();

        Assert.Equal(2, _hook.Received.Count);
        Assert.Empty(_failures);
        Assert.Contains("slipway_notifications_total{receiver=\"hook\"} 1\n", Metrics(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_FailingEveryAttempt_IsCountedAndReported()
    {
        Start(options: new NotifierOptions { MaxAttempts = 3, FirstBackoff = TimeSpan.FromSeconds(2) });
        _hook.FailNext = 100;
        _notifier.Update([Alert("instance-down", "api")]);
        _time.Advance(TimeSpan.FromSeconds(30));

        await DriveUntilIdle();

        Assert.Equal(3, _hook.Received.Count);
        Assert.Equal("hook: a notification of 1 alert(s) was not delivered after 3 attempts: answered 500 Internal Server Error", Assert.Single(_failures));
        Assert.Contains("slipway_notifications_failed_total{receiver=\"hook\"} 1\n", Metrics(), StringComparison.Ordinal);

        // Not recorded as told, so the next flush tries again.
        _hook.FailNext = 0;
        _time.Advance(TimeSpan.FromMinutes(5));
        await DriveUntilIdle();
        Assert.Equal(4, _hook.Received.Count);
    }

    [Fact]
    public async Task Delivery_ReceiverUrlNotSet_FailsOnceWithoutRetriesAndIsCounted()
    {
        var spec = new AlertsSpec
        {
            Receivers = new Dictionary<string, ReceiverSpec> { ["chat"] = new() { Slack = ValueReference.Parse("env:SLIPWAY_TEST_UNSET") } },
            Routes = [new AlertRouteSpec { Receiver = "chat", GroupWait = TimeSpan.Zero }],
        };
        var unresolved = new List<bool>();
        _notifier = new Notifier(spec, AlertReceivers.FromSpec(spec, _ => null, _http), new SilenceStore(null, _time), _time, NullLogger.Instance,
            new NotifierOptions { MaxAttempts = 4, FirstBackoff = TimeSpan.FromSeconds(1) });
        _notifier.ReceiverFailed += (receiver, reason, unset) =>
        {
            _failures.Add($"{receiver}: {reason}");
            unresolved.Add(unset);
        };
        _notifier.Start();
        _notifier.Update([Alert("instance-down", "api")]);

        // One second: with retries the failure would only be final after 1 + 2 + 4 s of backoff.
        await Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("chat: a notification of 1 alert(s) was not sent: its URL is not set (the env: variable or secret: it names is missing)", Assert.Single(_failures));
        Assert.Equal([true], unresolved);
        Assert.Contains("slipway_notifications_failed_total{receiver=\"chat\"} 1\n", Metrics(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alertmanager_GetsApiV2Alerts_EveryGroupInterval()
    {
        var spec = new AlertsSpec
        {
            Receivers = new Dictionary<string, ReceiverSpec> { ["am"] = new() { Alertmanager = ValueReference.Parse(_hook.Url.TrimEnd('/')) } },
            Routes = [new AlertRouteSpec { Receiver = "am", GroupWait = TimeSpan.Zero, GroupInterval = TimeSpan.FromMinutes(1) }],
        };
        _notifier = new Notifier(spec, AlertReceivers.FromSpec(spec, r => r.Literal, _http), new SilenceStore(null, _time), _time, NullLogger.Instance,
            new NotifierOptions()) { ExternalUrl = "http://127.0.0.1:7070/api/v1/alerts" };
        _notifier.Start();
        _notifier.Update([Alert("instance-down", "api")]);

        await Advance(TimeSpan.FromSeconds(1));
        await Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(["/api/v2/alerts", "/api/v2/alerts"], _hook.Received.Select(r => r.Path));
        var alert = _hook.Received[0].Body.AsArray()[0]!;
        Assert.Equal("instance-down", (string?)alert["labels"]!["alertname"]);
        Assert.Equal("http://127.0.0.1:7070/api/v1/alerts", (string?)alert["generatorURL"]);
        Assert.Equal("2026-01-01T00:04:01.000Z", (string?)alert["endsAt"]);
    }

    private string Metrics()
    {
        var text = new StringBuilder();
        _notifier.WriteMetrics(new MetricsWriter(text));
        return text.ToString();
    }

    /// <summary>Moves the clock a second at a time while a delivery waits out its backoff, until it ends (bounded).</summary>
    private async Task DriveUntilIdle()
    {
        for (var i = 0; i < 400; i++)
        {
            var idle = _notifier.IdleAsync();
            if (await Task.WhenAny(idle, Task.Delay(25)) == idle)
            {
                return;
            }

            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.Fail("the delivery did not end");
    }
}
