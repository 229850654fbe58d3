using System.Text;
using Slipway.Control.Telemetry;

namespace Slipway.Control.Tests.Telemetry;

public sealed class MetricsWriterTests
{
    [Fact]
    public void Writes_help_type_and_escaped_samples()
    {
        var text = new StringBuilder();
        var writer = new MetricsWriter(text);
        writer.Family("slipway_demo_total", "counter", "Demo with a \\ and a\nnewline.");
        writer.Sample([new("service", "a\"b\\c\nd"), new("code", "200")], 3);
        writer.Sample([], double.PositiveInfinity, "_sum");

        Assert.Equal(
            "# HELP slipway_demo_total Demo with a \\\\ and a\\nnewline.\n"
            + "# TYPE slipway_demo_total counter\n"
            + "slipway_demo_total{service=\"a\\\"b\\\\c\\nd\",code=\"200\"} 3\n"
            + "slipway_demo_total_sum +Inf\n",
            text.ToString());
    }

    [Fact]
    public void Refuses_a_family_twice_and_bad_names()
    {
        var writer = new MetricsWriter(new StringBuilder());
        writer.Family("a", "gauge", "x");
        Assert.Throws<InvalidOperationException>(() => writer.Family("a", "gauge", "x"));
        Assert.Throws<ArgumentException>(() => writer.Family("1a", "gauge", "x"));
        Assert.Throws<ArgumentException>(() => writer.Family("b", "meter", "x"));
        Assert.Throws<ArgumentException>(() => writer.Sample([new("__reserved", "x")], 1));
    }

    [Theory]
    [InlineData(0.25, "0.25")]
    [InlineData(1e21, "1E+21")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Formats_values_invariantly(double value, string expected) => Assert.Equal(expected, MetricsWriter.FormatValue(value));
}
