using Slipway.Core.Alerting;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Analysis;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Monitoring;

/// <summary>
/// The alert language in PromQL over what a cluster's Prometheus has, where <c>render prometheus-rules</c> writes it
/// over Slipway's own <c>/metrics</c>: requests from the ingress controller or mesh (<see cref="RequestMetricNames"/>),
/// instances from kube-state-metrics and the kubelet's cAdvisor (a container is named after its service), backups
/// from kube-state-metrics' CronJob series, certificates from cert-manager, application series as the ServiceMonitor
/// relabels them. Every result carries the labels the local engine's would (<c>service</c>, <c>instance</c>,
/// <c>backup</c>, <c>certificate</c>), so rules, templates and routes read the same. A selector the cluster has no
/// series for (a <c>route</c> or <c>revision</c> matcher on requests) gives null and why.
/// </summary>
internal sealed class ClusterPromQl(RenderContext context)
{
    private readonly RequestMetricNames _requests = RequestMetricNames.For(context.RequestMetrics);

    public string? Expression(AlertExpression expression, out string? why)
    {
        var parts = new List<string>();
        foreach (var condition in expression.Conditions)
        {
            if (Selector(condition.Selector, out why) is not { } selector)
            {
                return null;
            }

            parts.Add($"({selector}) {AlertCondition.Symbol(condition.Operator)} {YamlWriter.Number(condition.Threshold)}");
        }

        why = null;
        return string.Join(" and ", parts);
    }

    public string? Selector(AlertSelector selector, out string? why)
    {
        why = null;
        var window = selector.Window is { } w ? $"[{Names.PromDuration(w)}]" : "";
        var ns = $"namespace=\"{context.Namespace}\"";
        switch (selector.Function.Source)
        {
            case AlertSource.Requests:
                return Requests(selector, window, out why);
            case AlertSource.Instances:
                return Instances(selector, out why);
            case AlertSource.Backups:
                return Backups(selector, out why);
            case AlertSource.Jobs:
                why = "`jobs:` are not rendered for a cluster, so it has no job series";
                return null;
            case AlertSource.Certificates:
                if (context.Kubernetes.Traffic != TrafficApi.Ingress || context.Kubernetes.CertIssuer is null || context.Manifest.Proxy.Tls is null)
                {
                    why = "the cluster's certificates are cert-manager's only with `traffic: ingress`, `proxy.tls` and `kubernetes.certIssuer`";
                    return null;
                }

                return RawMatchers(selector.Matchers, "certificate", "name", n => n, out why) is { } names
                    ? Relabel($"certmanager_certificate_expiration_timestamp_seconds{{{ns}{names}}} - time()", "certificate", "name")
                    : null;
            default:
                var matchers = string.Join(",", new[] { ns }.Concat(selector.Matchers.Select(m => m.ToString())));
                return selector.Function.Name switch
                {
                    "app_rate" => $"sum by (service, revision) (rate({selector.Metrics[0]}{{{matchers}}}{window}))",
                    "app_value" => $"sum by (service, revision) ({selector.Metrics[0]}{{{matchers}}})",
                    _ => $"sum by (service, revision) (rate({selector.Metrics[0]}{{{matchers}}}{window})) / sum by (service, revision) (rate({selector.Metrics[1]}{{{matchers}}}{window}))",
                };
        }
    }

    private string? Requests(AlertSelector selector, string window, out string? why)
    {
        if (OnlyServiceMatchers(selector, out why) is not { } services)
        {
            return null;
        }

        string Rate(IReadOnlyList<string> of, string metric, params string[] extra) =>
            Relabel($"rate({metric}{_requests.Matchers(context.Namespace, $"=~\"{string.Join('|', of.SelectMany(KubernetesServices))}\"", extra)}{window})", "service", _requests.ServiceLabel, "(.+?)(?:-canary|-preview)?");
        string ErrorRatio(IReadOnlyList<string> of) =>
            $"sum by (service) ({Rate(of, _requests.Requests, _requests.ServerError)}) / sum by (service) ({Rate(of, _requests.Requests)})";

        switch (selector.Function.Name)
        {
            case "error_ratio":
                return ErrorRatio(services);
            case "rate":
                return $"sum by (service) ({Rate(services, _requests.Requests)})";
            case "quantile":
                var quantile = $"histogram_quantile({YamlWriter.Number(selector.Parameter!.Value)}, sum by (service, le) ({Rate(services, _requests.DurationBuckets)}))";
                return _requests.DurationUnitsPerSecond == 1 ? quantile : $"{quantile} / {YamlWriter.Number(_requests.DurationUnitsPerSecond)}";
            default:
                var terms = services
                    .Where(s => context.Manifest.Services[s].Slo is { } slo && slo.Availability.Value < 100)
                    .Select(s => $"({ErrorRatio([s])} / {YamlWriter.Number((100 - context.Manifest.Services[s].Slo!.Availability.Value) / 100)})")
                    .ToList();
                why = terms.Count == 0 ? "no service it matches has an `slo:`" : null;
                return terms.Count == 0 ? null : string.Join(" or ", terms);
        }
    }

    private string? Instances(AlertSelector selector, out string? why)
    {
        if (OnlyServiceMatchers(selector, out why) is not { } services)
        {
            return null;
        }

        string Raw(string metric, IEnumerable<string> of, string extra = "") =>
            $"{metric}{{namespace=\"{context.Namespace}\",container=~\"{string.Join('|', of)}\"{extra}}}";
        static string Labelled(string instant) => Relabel(Relabel(instant, "service", "container"), "instance", "pod");
        string? PerService(Func<ServiceSpec, double?> value, Func<string, double, string> term)
        {
            var terms = services.Where(s => value(context.Manifest.Services[s]) is not null)
                .Select(s => $"({term(s, value(context.Manifest.Services[s])!.Value)})").ToList();
            return terms.Count == 0 ? null : string.Join(" or ", terms);
        }

        var window = selector.Window is { } w ? Names.PromDuration(w) : "5m";
        var result = selector.Function.Name switch
        {
            "instance_ready" => Labelled(Raw("kube_pod_container_status_ready", services)),
            "crash_looping" => Labelled(Raw("kube_pod_container_status_waiting_reason", services, ",reason=\"CrashLoopBackOff\"")),
            "instance_restarts" => Labelled($"increase({Raw("kube_pod_container_status_restarts_total", services)}[{window}])"),
            "instance_memory_ratio" => PerService(s => s.Resources.Memory is { Bytes: > 0 } m ? m.Bytes : null,
                (s, limit) => $"{Labelled(Raw("container_memory_working_set_bytes", [s]))} / {YamlWriter.Number(limit)}"),
            _ => PerService(s => s.Resources.Cpu ?? 1,
                (s, cores) => $"{Labelled($"rate({Raw("container_cpu_usage_seconds_total", [s])}[1m])")} / {YamlWriter.Number(cores)}"),
        };

        why = result is null ? "no service it matches has what it reads" : null;
        return result;
    }

    private string? Backups(AlertSelector selector, out string? why)
    {
        if (RawMatchers(selector.Matchers, "backup", "cronjob", Names.Backup, out why) is not { } matchers)
        {
            return null;
        }

        var cronJobs = $"namespace=\"{context.Namespace}\",cronjob=~\"{string.Join('|', context.Manifest.Backups.Keys.Order(StringComparer.Ordinal).Select(Names.Backup))}\"{matchers}";
        var expr = selector.Function.Name == "backup_age"
            ? $"time() - (kube_cronjob_status_last_successful_time{{{cronJobs}}} or kube_cronjob_created{{{cronJobs}}})"
            // The latest scheduled run ended (none active) without a success after it was scheduled.
            : $"(kube_cronjob_status_last_schedule_time{{{cronJobs}}} > bool (kube_cronjob_status_last_successful_time{{{cronJobs}}} or kube_cronjob_status_last_schedule_time{{{cronJobs}}} * 0))"
              + $" * (kube_cronjob_status_active{{{cronJobs}}} == bool 0)";
        return Relabel(expr, "backup", "cronjob", "backup-(.+)");
    }

    /// <summary>The Slipway services a selector's <c>service</c> matchers pick, or null (and why) when it matches on anything else.</summary>
    private IReadOnlyList<string>? OnlyServiceMatchers(AlertSelector selector, out string? why)
    {
        if (selector.Matchers.FirstOrDefault(m => m.Name != "service") is { } other)
        {
            why = $"the cluster's {(selector.Function.Source == AlertSource.Requests ? "request" : "instance")} metrics have no `{other.Name}` label (only `service`)";
            return null;
        }

        var services = context.RunServices.Select(s => s.Name).Where(s => selector.Matchers.All(m => m.Matches(s))).ToList();
        why = services.Count == 0 ? "it matches no service Slipway runs" : null;
        return services.Count == 0 ? null : services;
    }

    /// <summary>The Kubernetes Services a Slipway service's requests arrive on: itself, and its canary or preview Service.</summary>
    private IEnumerable<string> KubernetesServices(string service)
    {
        yield return service;
        var strategy = context.Manifest.Services[service].Deploy.Strategy;
        if (strategy == DeployStrategy.Canary)
        {
            yield return Names.Canary(service);
        }
        else if (strategy == DeployStrategy.BlueGreen)
        {
            yield return Names.Preview(service);
        }
    }

    /// <summary>Matchers on the local label (<c>backup</c>) as matchers on the cluster's (<c>cronjob</c>), each starting with a comma; null when one names another label.</summary>
    private static string? RawMatchers(IReadOnlyList<LabelMatcher> matchers, string label, string raw, Func<string, string> value, out string? why)
    {
        if (matchers.FirstOrDefault(m => m.Name != label) is { } other)
        {
            why = $"the cluster's series have no `{other.Name}` label here (only `{label}`)";
            return null;
        }

        why = null;
        return string.Concat(matchers.Select(m => "," + new LabelMatcher(raw, value(m.Value), m.Equal)));
    }

    private static string Relabel(string expr, string target, string source, string regex = "(.+)") =>
        $"label_replace({expr}, \"{target}\", \"$1\", \"{source}\", \"{regex}\")";
}
