using CsCheck;
using Slipway.Control.Telemetry;

namespace Slipway.Control.Tests.Telemetry;

public sealed class PrometheusTextParserTests
{
    [Fact]
    public void Parse_EveryKind_GroupsSamplesIntoTypedFamilies()
    {
        var scrape = PrometheusTextParser.Parse("""
            # A plain comment is ignored.
            # HELP http_requests_total Requests, with a \\ and a\nnewline.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000

            # TYPE temperature gauge
            temperature -3.5e2
            # TYPE latency histogram
            latency_bucket{le="0.05"} 24054
            latency_bucket{le="+Inf"} 144320
            latency_sum 53423
            latency_count 144320
            # TYPE rpc summary
            rpc{quantile="0.5"} 4773
            rpc{quantile="0.99"} NaN
            rpc_sum 1.7560473e+07
            rpc_count 2693
            no_type_line{path="/a\"b\\c\nd",} +Inf
            minus_inf -Inf
            """);

        Assert.True(scrape.IsValid, scrape.Error);
        Assert.Equal(["http_requests_total", "temperature", "latency", "rpc", "no_type_line", "minus_inf"], scrape.Families.Select(f => f.Name));
        Assert.Equal(["counter", "gauge", "histogram", "summary", "untyped", "untyped"], scrape.Families.Select(f => f.Type));
        var requests = scrape.Families[0];
        Assert.Equal("Requests, with a \\ and a\nnewline.", requests.Help);
        Assert.Equal([new("method", "post"), new("code", "200")], requests.Samples[0].Labels);
        Assert.Equal(1027, requests.Samples[0].Value);
        Assert.Equal(1395066363000, requests.Samples[0].TimestampMilliseconds);
        Assert.Equal(-350, scrape.Families[1].Samples.Single().Value);
        Assert.Null(scrape.Families[1].Samples.Single().TimestampMilliseconds);
        Assert.Equal(["latency_bucket", "latency_bucket", "latency_sum", "latency_count"], scrape.Families[2].Samples.Select(s => s.Name));
        Assert.True(double.IsNaN(scrape.Families[3].Samples[1].Value));
        Assert.Equal("/a\"b\\c\nd", scrape.Families[4].Samples.Single().Labels.Single().Value);
        Assert.Equal(double.PositiveInfinity, scrape.Families[4].Samples.Single().Value);
        Assert.Equal(double.NegativeInfinity, scrape.Families[5].Samples.Single().Value);
        Assert.Equal(13, scrape.SampleCount);
    }

    [Theory]
    [InlineData("a 1\r\nb 2\r\n")]
    [InlineData("a{} 1\nb 2")]
    [InlineData("  a 1\n\t\nb\t2\t")]
    [InlineData("a { x = \"1\" , y=\"2\" } 1\nb 2")]
    [InlineData("#TYPE a counter\na 1\nb 2")]
    [InlineData("# HELP a\n# TYPE a gauge\na 1\nb 2")]
    [InlineData("a 1\nb 2\n# EOF-like trailing comment")]
    [InlineData("a 1e3\nb -0.5")]
    [InlineData("a .5\nb 2")]
    [InlineData("a:ratio_rate5m 1\nb 2")]
    public void Parse_LenientButValidVariants_AreAccepted(string text)
    {
        var scrape = PrometheusTextParser.Parse(text);
        Assert.True(scrape.IsValid, scrape.Error);
        Assert.Equal(2, scrape.SampleCount);
    }

    [Theory]
    [InlineData("a", "line 1: a has no value")]
    [InlineData("a 1 2 3", "line 1: a has more than a value and a timestamp")]
    [InlineData("a one", "line 1: a has value `one`")]
    [InlineData("a 0x1F", "line 1: a has value `0x1F`")]
    [InlineData("a 1 12.5", "line 1: a has timestamp `12.5`")]
    [InlineData("1a 1", "line 1: `1a` is not a valid metric name")]
    [InlineData("a-b 1", "line 1: a has value `-b`")]
    [InlineData("{x=\"1\"} 1", "line 1: expected a metric name at column 1")]
    [InlineData("a{x=\"1\" 1", "line 1: a: expected `,` or `}` after label x")]
    [InlineData("a{x=\"1} 1", "line 1: a: the value of label x has no closing quote")]
    [InlineData("a{x=1} 1", "line 1: a: expected a quoted value for label x")]
    [InlineData("a{x\"1\"} 1", "line 1: a: expected `=` after label x")]
    [InlineData("a{x=\"\\t\"} 1", "line 1: a: bad escape `\\t` in the value of label x")]
    [InlineData("a{x=\"1\",x=\"2\"} 1", "line 1: a: label x appears twice")]
    [InlineData("a{__name__=\"b\"} 1", "line 1: a: `__name__` is not a valid label name")]
    [InlineData("a{1x=\"1\"} 1", "line 1: a: `1x` is not a valid label name")]
    [InlineData("a{,} 1", "line 1: a: expected a label name or `}` at column 3")]
    [InlineData("a 1\na 2", "line 2: a{} appears twice")]
    [InlineData("a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2", "line 2: a{y=\"2\",x=\"1\"} appears twice")]
    [InlineData("# TYPE a counter\n# TYPE a gauge\na 1", "line 2: a second # TYPE for a")]
    [InlineData("# HELP a x\n# HELP a y\na 1", "line 2: a second # HELP for a")]
    [InlineData("a 1\n# TYPE a counter", "line 2: # TYPE a comes after samples of a")]
    [InlineData("# TYPE a meter\na 1", "line 1: # TYPE a has unknown type `meter`")]
    [InlineData("# TYPE 9a gauge", "line 1: # TYPE names `9a`")]
    [InlineData("# HELP a bad \\t escape\na 1", "line 1: # HELP a has a bad escape")]
    [InlineData("# TYPE h histogram\nh 1", "line 2: h is a histogram")]
    [InlineData("# TYPE h histogram\nh_bucket 1", "line 2: h_bucket has no `le` label")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"big\"} 1", "line 2: h_bucket has le=\"big\", which is not a number")]
    [InlineData("# TYPE s summary\ns 1", "line 2: s is a summary; its samples need a `quantile` label")]
    [InlineData("# TYPE s summary\ns{quantile=\"p99\"} 1", "line 2: s has quantile=\"p99\"")]
    [InlineData("ok 1\n\nbad", "line 3: bad has no value")]
    public void Parse_Malformed_RejectsTheWholeScrapeNamingTheLine(string text, string expected)
    {
        var scrape = PrometheusTextParser.Parse(text);

        Assert.False(scrape.IsValid);
        Assert.Empty(scrape.Families);
        Assert.StartsWith(expected, scrape.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RandomGarbage_NeverThrows() =>
        Gen.Char["ab_:{}=\",\\n \t#\n019.+-eIfNa"].Array[0, 60]
            .Select(chars => new string(chars))
            .Sample(
                text =>
                {
                    var scrape = PrometheusTextParser.Parse(text);

                    Assert.True(scrape.IsValid ^ scrape.Error is not null);
                },
                iter: 5000);

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("nan", double.NaN)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("Inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("1.5E-3", 0.0015)]
    [InlineData("-0", 0)]
    public void ParseValue_SpecialAndExponentForms_AreNumbers(string text, double expected) =>
        Assert.Equal(expected, PrometheusTextParser.ParseValue(text));

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("1,5")]
    [InlineData("Infinityy")]
    [InlineData(" 1")]
    public void ParseValue_NotANumber_IsNull(string text) => Assert.Null(PrometheusTextParser.ParseValue(text));
}
