namespace Slipway.Core.Alerting;

/// <summary>The functions of the alert language, by name. docs/operations.md lists the same.</summary>
internal static class AlertFunctions
{
    public static readonly IReadOnlyList<AlertFunction> All =
    [
        new("error_ratio", AlertSource.Requests, true, null, "share of requests answered 5xx (0..1); no sample without requests"),
        new("rate", AlertSource.Requests, true, null, "requests per second; 0 for a service without requests"),
        new("quantile", AlertSource.Requests, true, (0, 1), "latency in seconds below which that share of requests fell; no sample without requests"),
        new("burn_rate", AlertSource.Requests, true, null, "error ratio divided by the error budget (1 - slo.availability); only services with `slo:`"),
        new("instance_ready", AlertSource.Instances, false, null, "1 when the instance is ready, else 0"),
        new("instance_memory_ratio", AlertSource.Instances, false, null, "resident memory / resources.memory (0..1); only services with a memory limit"),
        new("instance_cpu_ratio", AlertSource.Instances, false, null, "CPU used / resources.cpu cores (1 core without a limit)"),
        new("instance_restarts", AlertSource.Instances, true, null, "restarts within the window"),
        new("crash_looping", AlertSource.Instances, false, null, "1 while the instance is backing off between crashes, else 0"),
        new("backup_age", AlertSource.Backups, false, null, "seconds since the last successful backup (since the daemon started, when there is none)"),
        new("backup_failed", AlertSource.Backups, false, null, "1 when the latest backup failed, else 0"),
        new("job_failed", AlertSource.Jobs, false, null, "1 when the job's newest finished run failed, timed out, could not start or was interrupted, else 0"),
        new("certificate_expiry", AlertSource.Certificates, false, null, "seconds until the proxy's TLS certificate expires (negative once it has)"),
        new("app_rate", AlertSource.Application, true, null, "per-second increase of a scraped counter (resets handled), summed over instances; none with fewer than two scrapes in the window") { MetricNames = 1 },
        new("app_value", AlertSource.Application, false, null, "latest value of a scraped gauge, summed over instances") { MetricNames = 1 },
        new("app_ratio", AlertSource.Application, true, null, "increase of the first counter ÷ increase of the second, over instances; none while the second did not increase") { MetricNames = 2 },
    ];

    public static AlertFunction? Find(string name) => All.FirstOrDefault(f => f.Name == name);
}
