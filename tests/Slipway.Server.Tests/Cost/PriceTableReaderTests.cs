using Slipway.Server.Cost;

namespace Slipway.Server.Tests.Cost;

public sealed class PriceTableReaderTests
{
    [Fact]
    public void Default_EmbeddedTable_IsDatedNamesItsSourceAndHasTheNodeShape()
    {
        var table = PriceTableReader.Default();

        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", table.Date);
        Assert.Contains("aws.amazon.com", table.Source, StringComparison.Ordinal);
        Assert.Equal(("USD", 730.0, "m7i.large", 2.0), (table.Currency, table.HoursPerMonth, table.Node.Name, table.Node.Cpu));
        Assert.True(table.CpuHour > 0 && table.MemoryGbHour > 0 && table.DiskGbMonth > 0 && table.EgressGb > 0);
    }

    [Fact]
    public void Read_MissingWrongAndUnknownKeys_EachNamedWithLineAndColumn()
    {
        var table = PriceTableReader.Read("""
            source: s
            date: 2026-01-01
            currency: EUR
            hoursPerMonth: many
            compute: { cpuHour: 0.04 }
            storage: { disk: 0.1, object: 0.02, tape: 0.001 }
            egressGb: 0.05
            kubernetes: { node: big, shapes: { small: { cpu: 2, memory: 4GB, hourly: 0.1 } } }
            assumed: { cpu: 0.25, memory: lots, rpsPer1kUsers: 1, bytesPerRequest: 1KB, state: 1GB, backup: 1GB }
            """, "prices.yaml", out var errors);

        Assert.Null(table);
        Assert.Equal(
            [
                "prices.yaml:4:16: hoursPerMonth must be a number of 0 or more (got \"many\")",
                "prices.yaml:5:10: compute.memoryGbHour is required",
                "prices.yaml:8:21: kubernetes.node names no shape in kubernetes.shapes (got \"big\")",
                "prices.yaml:9:31: assumed.memory must be a size such as 512MB (got \"lots\")",
                "prices.yaml:6:37: storage.tape is not a price table key",
            ],
            errors);
    }
}
