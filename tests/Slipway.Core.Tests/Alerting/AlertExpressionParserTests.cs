using Slipway.Core.Alerting;
using Slipway.Core.Manifest;

namespace Slipway.Core.Tests.Alerting;

public sealed class AlertExpressionParserTests
{
    [Fact]
    public void Parse_QuantileWithMatchersWindowAndDuration_ReadsEveryPart()
    {
        var expression = AlertExpressionParser.Parse("quantile(0.95, service=\"api\", route!=\"api#1\")[5m] > 2s");

        var condition = Assert.Single(expression.Conditions);
        Assert.Equal("quantile", condition.Selector.Function.Name);
        Assert.Equal(0.95, condition.Selector.Parameter);
        Assert.Equal([new LabelMatcher("service", "api", true), new LabelMatcher("route", "api#1", false)], condition.Selector.Matchers);
        Assert.Equal(TimeSpan.FromMinutes(5), condition.Selector.Window);
        Assert.Equal(ComparisonOperator.Greater, condition.Operator);
        Assert.Equal(2.0, condition.Threshold);
    }

    [Theory]
    [InlineData("error_ratio[5m] > 5%", 0.05)]
    [InlineData("error_ratio(service=\"api\")[1h] >= 0.5%", 0.005)]
    [InlineData("quantile(0.5)[1m] < 250ms", 0.25)]
    [InlineData("instance_ready == 0", 0)]
    [InlineData("instance_restarts[10m] > 3", 3)]
    [InlineData("backup_age > 26h", 93600)]
    [InlineData("rate(service=\"web\")[1m]<1", 1)]
    public void Parse_Thresholds_AreNumbersPercentagesOrSeconds(string text, double threshold) =>
        Assert.Equal(threshold, AlertExpressionParser.Parse(text).Conditions[0].Threshold, 9);

    [Fact]
    public void Parse_And_JoinsConditionsOverTheSameSource()
    {
        var expression = AlertExpressionParser.Parse("burn_rate[1h] > 14.4 and burn_rate[5m] > 14.4");

        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)], expression.Conditions.Select(c => c.Selector.Window!.Value));
    }

    [Fact]
    public void Parse_AppRatio_ReadsBothMetricNamesThenAnyLabelOfTheSeries()
    {
        var expression = AlertExpressionParser.Parse("app_ratio(\"payments_failed_total\", \"payments_total\", service=\"shop\", method!=\"card\")[5m] > 5%");

        var selector = Assert.Single(expression.Conditions).Selector;
        Assert.Equal("app_ratio", selector.Function.Name);
        Assert.Equal(["payments_failed_total", "payments_total"], selector.Metrics);
        Assert.Equal([new LabelMatcher("service", "shop", true), new LabelMatcher("method", "card", false)], selector.Matchers);
        Assert.Equal(TimeSpan.FromMinutes(5), selector.Window);
    }

    [Fact]
    public void Parse_AppValueAndAppRate_JoinWithAnd()
    {
        var expression = AlertExpressionParser.Parse("app_value(\"queue_depth\") > 100 and app_rate(\"jobs_done_total\")[5m] < 1");

        Assert.Equal([["queue_depth"], ["jobs_done_total"]], expression.Conditions.Select(c => c.Selector.Metrics));
    }

    [Fact]
    public void TryParseSelector_NoComparison_IsASelectorAndAComparisonIsRefused()
    {
        Assert.True(AlertExpressionParser.TryParseSelector("app_rate(\"x_total\")[1m]", out var selector, out _));
        Assert.Equal("x_total", Assert.Single(selector!.Metrics));
        Assert.False(AlertExpressionParser.TryParseSelector("app_rate(\"x_total\")[1m] > 1", out _, out var error));
        Assert.Equal("at column 25: expected the end of the expression (no comparison here: the limits are fields of their own)", error);
    }

    [Theory]
    [InlineData("app_rate[5m] > 1", "at column 1: app_rate needs the metric's name first, e.g. app_rate(\"payments_failed_total\")")]
    [InlineData("app_rate(service=\"x\")[5m] > 1", "at column 10: app_rate takes the metric's name in double quotes first, e.g. app_rate(\"payments_failed_total\")")]
    [InlineData("app_ratio(\"a_total\")[5m] > 1", "at column 20: app_ratio takes 2 metric names")]
    [InlineData("app_value(\"9lives\") > 1", "at column 12: \"9lives\" is not a metric name (letters, digits, '_' and ':', not starting with a digit)")]
    [InlineData("app_value(\"slipway_instance_up\") > 1", "at column 12: app_value reads what services serve; slipway_* names are Slipway's own (use error_ratio, rate, quantile, instance_* ...)")]
    [InlineData("app_value(\"q\")[5m] > 1", "at column 15: app_value is a current value and takes no window")]
    [InlineData("app_rate(\"a_total\")[5m] > 1 and rate[5m] > 1", "at column 29: `and` joins conditions over the same things: app_rate and rate do not describe the same labels")]
    public void TryParse_AppFunctionMistakes_NameTheColumn(string text, string error)
    {
        Assert.False(AlertExpressionParser.TryParse(text, out _, out var message));
        Assert.Equal(error, message);
    }

    [Theory]
    [InlineData("error_rate[5m] > 1%", "at column 1: unknown function `error_rate`; did you mean `error_ratio`?")]
    [InlineData("error_ratio > 1%", "at column 13: error_ratio needs a window such as [5m]")]
    [InlineData("instance_ready[5m] == 0", "at column 15: instance_ready is a current value and takes no window")]
    [InlineData("error_ratio[5m] 1%", "at column 17: expected a comparison (>, >=, <, <=, ==, !=)")]
    [InlineData("error_ratio(instance=\"x\")[5m] > 1%", "at column 13: error_ratio has no label `instance` (it has service, revision, route)")]
    [InlineData("error_ratio(service=api)[5m] > 1%", "at column 21: expected a value in double quotes")]
    [InlineData("quantile(1.5)[5m] > 1s", "at column 10: quantile takes a number between 0 and 1 first (got 1.5)")]
    [InlineData("quantile[5m] > 1s", "at column 1: quantile needs its number first, e.g. quantile(0.95)")]
    [InlineData("error_ratio[5x] > 1%", "at column 13: the window must be a duration like 250ms, 5s, 2m, 1h or 7d (got \"5x\")")]
    [InlineData("error_ratio[5m] > 1% or rate[1m] < 1", "at column 22: expected `and` or the end of the expression")]
    [InlineData("error_ratio[5m] > 1% and instance_ready == 0", "at column 22: `and` joins conditions over the same things: error_ratio and instance_ready do not describe the same labels")]
    [InlineData("error_ratio[5m] >", "at column 18: expected a threshold such as 0.05, 5%, 2s or 3")]
    public void TryParse_Mistakes_NameTheColumn(string text, string error)
    {
        Assert.False(AlertExpressionParser.TryParse(text, out _, out var message));
        Assert.Equal(error, message);
    }

    [Fact]
    public void Load_BadExprOrTemplate_IsAManifestErrorAtThatKey()
    {
        var result = ManifestLoader.LoadText("""
            app: shop
            alerts:
              rules:
                - { name: slow, expr: "quantile(0.95)[5m] > 2 s" }
                - name: broken
                  expr: error_ratio[5m] > 1%
                  annotations: { summary: "{{ .Labels.service }}" }
            """.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath());

        Assert.Equal(
        [
            "app.yaml:4:27: alerts.rules[0].expr at column 24: expected `and` or the end of the expression",
            "app.yaml:7:22: alerts.rules[1].annotations.summary at column 1: {{ .Labels.service }} is not a known placeholder (use {{ $labels.NAME }} or {{ $value }})",
        ], result.FormattedErrors);
    }

    [Fact]
    public void Render_FillsLabelsAndValue()
    {
        var text = AlertTemplate.Render("{{ $labels.service }} at {{$value}} ({{ $labels.missing }})", new Dictionary<string, string> { ["service"] = "api" }, 0.123456);

        Assert.Equal("api at 0.1235 ()", text);
    }
}
