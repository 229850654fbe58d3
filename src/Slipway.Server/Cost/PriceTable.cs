namespace Slipway.Server.Cost;

/// <summary>What things cost, from a YAML table (<see cref="PriceTableReader"/>): dated, its source named, replaceable whole.</summary>
internal sealed record PriceTable(
    string Source,
    string Date,
    string Currency,
    double HoursPerMonth,
    double CpuHour,
    double MemoryGbHour,
    double DiskGbMonth,
    double ObjectGbMonth,
    double EgressGb,
    NodeShape Node,
    CostAssumptions Assumed);
