using System.Globalization;
using Slipway.Server.Cost;

namespace Slipway.Cli;

/// <summary><c>slipway cost</c> for people: a table per scale, money to the cent, and which figures were measured or assumed.</summary>
internal static class CostText
{
    public static void Write(TextWriter writer, CostReport report, PriceTable prices, string? unmeasured)
    {
        writer.WriteLine($"{report.App}: monthly cost in {report.Currency} ({prices.HoursPerMonth.ToString(CultureInfo.InvariantCulture)} hours), prices from {report.Prices} dated {report.PriceDate}: {report.PriceSource}");
        writer.WriteLine(report.Measured
            ? "measured: instances, CPU and memory per instance, requests/s and bytes per request over the last 5m, state and backup sizes, from the running daemon"
            : $"measured: nothing ({unmeasured}); every figure is from the manifest or the price table's assumptions");
        foreach (var estimate in report.Estimates)
        {
            writer.WriteLine();
            writer.WriteLine(estimate.Users is { } users
                ? $"at {estimate.Scale} users: {Number(users / 1000d * prices.Assumed.RpsPer1kUsers)} requests/s to each routed service (assumed {Number(prices.Assumed.RpsPer1kUsers)} per 1k users)"
                : "now: the replicas the manifest starts, the traffic measured");
            writer.WriteLine($"{"SERVICE",-12} {"INSTANCES",9} {"CPU",6} {"MEMORY GB",9} {"REQ/S",8} {"EGRESS GB",10} {"COMPUTE",9} {"EGRESS",8} {"TOTAL",9}  FROM");
            foreach (var s in estimate.Services)
            {
                writer.WriteLine($"{s.Name,-12} {s.Instances,9} {Number(s.Cpu),6} {Number(s.MemoryGb),9} {Number(s.RequestsPerSecond),8} {Number(s.EgressGb),10} {Money(s.Compute),9} {Money(s.Egress),8} {Money(s.Total),9}  {Sources(s)}");
            }

            foreach (var s in estimate.Storage)
            {
                writer.WriteLine($"{s.Name,-22} {Number(s.Gb),6} GB {s.Class,-6} {Money(s.Monthly),9}  {(s.Measured ? "measured: " : "")}{s.Basis}");
            }

            var k8s = estimate.Kubernetes;
            writer.WriteLine($"total {Money(estimate.Total)} {report.Currency}/month; on Kubernetes the requests ({Number(k8s.CpuRequested)} cores, {Number(k8s.MemoryGbRequested)} GB) need {k8s.Nodes} × {k8s.Shape} = {Money(k8s.Monthly)} {report.Currency}/month of nodes in place of the compute column");
        }
    }

    private static string Sources(ServiceCost s)
    {
        var parts = new List<string>();
        if (s.Measured.Count > 0)
        {
            parts.Add("measured " + string.Join(", ", s.Measured));
        }

        if (s.Assumed.Count > 0)
        {
            parts.Add("assumed " + string.Join(", ", s.Assumed));
        }

        if (s.Note is { } note)
        {
            parts.Add(note);
        }

        return parts.Count == 0 ? "manifest" : string.Join("; ", parts);
    }

    private static string Money(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString(value >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);
}
