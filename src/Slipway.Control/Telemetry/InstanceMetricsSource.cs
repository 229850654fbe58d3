using Slipway.Control.Supervision;

namespace Slipway.Control.Telemetry;

/// <summary>What the supervisor knows of each instance, labelled with service, revision and instance.</summary>
internal sealed class InstanceMetricsSource : IMetricsSource
{
    private readonly Func<IReadOnlyList<InstanceStatus>> _instances;

    public InstanceMetricsSource(Func<IReadOnlyList<InstanceStatus>> instances) => _instances = instances;

    public void WriteMetrics(MetricsWriter writer)
    {
        var instances = _instances().OrderBy(i => i.Service, StringComparer.Ordinal).ThenBy(i => i.Revision, StringComparer.Ordinal)
            .ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        Write(writer, instances, "slipway_instance_up", "gauge", "1 while the instance's process runs, else 0.", i => i.Pid is null ? 0 : 1);
        Write(writer, instances, "slipway_instance_ready", "gauge", "1 while the instance passes its readiness check and takes traffic, else 0.", i => i.Ready ? 1 : 0);
        Write(writer, instances, "slipway_instance_restarts_total", "counter", "Times the supervisor restarted the instance.", i => i.Restarts);
        Write(writer, instances, "slipway_instance_crash_looping", "gauge", "1 while the instance restarts too often (in crash-loop backoff), else 0.", i => i.CrashLooping ? 1 : 0);
        Write(writer, instances, "slipway_instance_cpu_seconds_total", "counter", "CPU time (user + system) the instance has used, from its cgroup (else its process group); resets when its process is replaced.", i => i.CpuSeconds);
        Write(writer, instances, "slipway_instance_memory_bytes", "gauge", "Memory of the instance at the last sample: its cgroup's working set (usage less inactive file cache), else the resident memory of its process group.", i => i.ResidentBytes);
        Write(writer, instances, "slipway_instance_oom_kills_total", "counter", "Processes of the instance the kernel's OOM killer killed at its memory limit.", i => i.OomKills);
        Write(writer, [.. instances.Where(i => i.CpuLimit is not null)], "slipway_instance_cpu_limit_cores", "gauge", "resources.cpu of the instance's revision: the cores its cgroup's quota allows.", i => i.CpuLimit!.Value);
        Write(writer, [.. instances.Where(i => i.MemoryLimit is not null)], "slipway_instance_memory_limit_bytes", "gauge", "resources.memory of the instance's revision.", i => i.MemoryLimit!.Value);
    }

    private static void Write(MetricsWriter writer, List<InstanceStatus> instances, string name, string type, string help, Func<InstanceStatus, double> value)
    {
        writer.Family(name, type, help);
        foreach (var instance in instances)
        {
            writer.Sample([new("service", instance.Service), new("revision", instance.Revision), new("instance", instance.Id)], value(instance));
        }
    }
}
