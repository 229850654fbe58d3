using Slipway.Core.Manifest.Model;

namespace Slipway.Server.Cost;

/// <summary>
/// Monthly cost from the manifest, a price table and (when a daemon answered) its measurements. Compute is what each
/// instance reserves (resources, else measured use, else assumed) at the table's per-core and per-GB hourly prices;
/// egress is requests/s × bytes per request; storage is state, logs at their cap, and each backup's kept copies. At a
/// number of users requests grow linearly and autoscaled services follow their targets; storage does not scale.
/// </summary>
internal static class CostEstimator
{
    private const double GiB = 1L << 30;

    /// <summary>
    /// Below this, an instance's idle CPU (a runtime starting, timers) would be charged to the few requests there were,
    /// and the projection would be nonsense: a CPU target is projected only from real traffic.
    /// </summary>
    internal const double MinRpsToProjectCpu = 1;

    public static CostReport Estimate(AppManifest manifest, PriceTable prices, string pricesName, CostMeasurements? measured, IReadOnlyList<CostScale> scales)
    {
        var estimates = new List<CostEstimate> { Estimate(manifest, prices, measured, null) };
        estimates.AddRange(scales.Select(s => Estimate(manifest, prices, measured, s)));
        return new CostReport(manifest.App, pricesName, prices.Source, prices.Date, prices.Currency, measured is not null, estimates);
    }

    internal static CostEstimate Estimate(AppManifest manifest, PriceTable prices, CostMeasurements? measured, CostScale? scale)
    {
        var services = manifest.Services.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => Service(s.Key, s.Value, prices, measured?.Services.FirstOrDefault(m => m.Name == s.Key), scale))
            .ToList();
        var storage = Storage(manifest, prices, measured);
        var total = services.Sum(s => s.Total) + storage.Sum(s => s.Monthly);
        return new CostEstimate(scale?.Label ?? "now", scale?.Users, services, storage, total, Kubernetes(services, prices));
    }

    private static ServiceCost Service(string name, ServiceSpec spec, PriceTable prices, ServiceMeasurement? measured, CostScale? scale)
    {
        if (spec.Run is null)
        {
            return new ServiceCost(name, 0, 0, 0, 0, 0, 0, 0, 0, [], [], "not run by Slipway (upstream): priced elsewhere");
        }

        var (fromDaemon, assumed) = (new List<string>(), new List<string>());
        var running = measured is { Instances: > 0 } ? measured : null;
        var cpu = spec.Resources?.Cpu ?? Take(running?.CpuCores, "cpu", fromDaemon) ?? Assume(prices.Assumed.Cpu, "cpu", assumed);
        var memoryGb = (spec.Resources?.Memory?.Bytes ?? Take(running?.MemoryBytes, "memory", fromDaemon) ?? Assume(prices.Assumed.Memory.Bytes, "memory", assumed)) / GiB;

        double rps;
        if (scale is null)
        {
            rps = Take(measured?.RequestsPerSecond, "rps", fromDaemon) ?? Assume(0d, "rps", assumed);
        }
        else
        {
            rps = spec.Routes.Count == 0 ? 0 : scale.Users / 1000d * prices.Assumed.RpsPer1kUsers;
            assumed.Add("rps");
        }

        var (instances, note) = Instances(spec, running, rps, cpu, scale, fromDaemon);
        var bytesPerRequest = rps == 0 ? 0 : Take(measured?.BytesPerRequest, "bytes/request", fromDaemon) ?? Assume(prices.Assumed.BytesPerRequest.Bytes, "bytes/request", assumed);
        var egressGb = rps * bytesPerRequest * prices.HoursPerMonth * 3600 / GiB;
        var compute = instances * ((cpu * prices.CpuHour) + (memoryGb * prices.MemoryGbHour)) * prices.HoursPerMonth;
        var egress = egressGb * prices.EgressGb;
        return new ServiceCost(name, instances, cpu, memoryGb, rps, egressGb, compute, egress, compute + egress, fromDaemon, assumed, note);
    }

    /// <summary>
    /// Now: the running count when measured, else the replicas the manifest starts. At a scale: autoscaled services need
    /// what each target implies (rpsPerInstance directly; a CPU target through the measured cores per request/s), within min and max.
    /// </summary>
    private static (int Instances, string? Note) Instances(ServiceSpec spec, ServiceMeasurement? running, double rps, double cpu, CostScale? scale, List<string> fromDaemon)
    {
        if (scale is null)
        {
            return running is not null ? ((int)Take(running.Instances, "instances", fromDaemon)!, null) : (spec.InitialReplicas, null);
        }

        if (spec.Autoscale is not { } autoscale)
        {
            return (spec.Replicas, "fixed replicas");
        }

        var needs = new List<(int Count, string Why)>();
        if (autoscale.RpsPerInstance is { } perInstance)
        {
            needs.Add(((int)Math.Ceiling(rps / perInstance), $"rpsPerInstance {perInstance}"));
        }

        if (autoscale.Cpu is { } target && running is { CpuCores: { } cores, RequestsPerSecond: >= MinRpsToProjectCpu })
        {
            var coresPerRps = cores * running.Instances / running.RequestsPerSecond;
            needs.Add(((int)Math.Ceiling(rps * coresPerRps / (cpu * target.Value / 100)), $"cpu {target} at the measured {coresPerRps:0.####} cores per request/s"));
            fromDaemon.Add("cores/request");
        }

        if (needs.Count == 0)
        {
            return (autoscale.Min, $"autoscale min: no target can be projected (a CPU target needs at least {MinRpsToProjectCpu} request/s measured)");
        }

        var need = needs.MaxBy(n => n.Count);
        var count = Math.Clamp(need.Count, autoscale.Min, autoscale.Max);
        return (count, $"autoscale by {need.Why}" + (count != need.Count ? $" (needs {need.Count}, held to {autoscale.Min}–{autoscale.Max})" : ""));
    }

    private static List<StorageCost> Storage(AppManifest manifest, PriceTable prices, CostMeasurements? measured)
    {
        StorageCost Disk(string name, double bytes, bool fromDaemon, string basis, bool objectStore = false) =>
            new(name, bytes / GiB, objectStore ? "object" : "disk", bytes / GiB * (objectStore ? prices.ObjectGbMonth : prices.DiskGbMonth), fromDaemon, basis);

        var storage = new List<StorageCost>
        {
            measured is not null ? Disk("state", measured.StateBytes, true, "the state directory's size now") : Disk("state", prices.Assumed.State.Bytes, false, "assumed"),
            Disk("logs", manifest.Logs.MaxSize.Bytes, false, $"logs.maxSize {manifest.Logs.MaxSize}, the most retention keeps"),
        };
        foreach (var (name, spec) in manifest.Backups.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var kept = spec.Retention.KeepLast + spec.Retention.Daily + spec.Retention.Weekly + spec.Retention.Monthly;
            var newest = measured?.Backups.FirstOrDefault(b => b.Name == name)?.NewestBytes;
            var size = newest ?? prices.Assumed.Backup.Bytes;
            storage.Add(Disk($"backup {name}", (double)kept * size, newest is not null,
                $"{kept} kept at most (keepLast + daily + weekly + monthly) × {(newest is null ? "an assumed" : "the newest")} {new Core.Primitives.ByteSize(size)}", spec.IsS3Destination()));
        }

        return storage;
    }

    private static KubernetesCost Kubernetes(IReadOnlyList<ServiceCost> services, PriceTable prices)
    {
        var cpu = services.Sum(s => s.Instances * s.Cpu);
        var memory = services.Sum(s => s.Instances * s.MemoryGb);
        var node = prices.Node;
        var nodes = Math.Max(1, (int)Math.Max(Math.Ceiling(cpu / node.Cpu), Math.Ceiling(memory / (node.Memory.Bytes / GiB))));
        return new KubernetesCost(node.Name, nodes, cpu, memory, nodes * node.Hourly * prices.HoursPerMonth);
    }

    private static double? Take(double? value, string what, List<string> measured)
    {
        if (value is not null)
        {
            measured.Add(what);
        }

        return value;
    }

    private static double Assume(double value, string what, List<string> assumed)
    {
        assumed.Add(what);
        return value;
    }
}
