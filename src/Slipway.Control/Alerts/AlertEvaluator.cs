using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Alerting;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Alerts;

/// <summary>
/// Computes alert functions over the <see cref="AlertInputs"/>: one sample per service for request functions,
/// per instance for instance functions, per backup for backup functions. Call <see cref="Observe"/> once per
/// evaluation before <see cref="Evaluate"/>, so histories (restarts, long windows) move on.
/// Not thread-safe: the engine serializes evaluations.
/// </summary>
internal sealed class AlertEvaluator
{
    private readonly AlertInputs _inputs;
    private readonly TimeProvider _time;
    private readonly RestartHistory _restarts;
    private readonly CounterHistory? _longWindows;
    private readonly DateTimeOffset _started;
    private IReadOnlyList<InstanceStatus> _instances = [];
    private IReadOnlyList<BackupState>? _backups;

    public AlertEvaluator(AlertInputs inputs, IReadOnlyList<AlertRule> rules, TimeProvider time)
    {
        _inputs = inputs;
        _time = time;
        _started = time.GetUtcNow();
        var windows = rules.SelectMany(r => r.Expression.Conditions).Select(c => (c.Selector.Function.Name, c.Selector.Function.Source, Window: c.Selector.Window ?? TimeSpan.Zero)).ToList();
        _restarts = new RestartHistory(windows.Where(w => w.Name == "instance_restarts").Select(w => w.Window).DefaultIfEmpty().Max());
        var longest = windows.Where(w => w.Source == AlertSource.Requests).Select(w => w.Window).DefaultIfEmpty().Max();
        if (longest > inputs.Requests.Window)
        {
            _longWindows = new CounterHistory(longest);
        }
    }

    /// <summary>Reads the instances and remembers what histories need; backups are read lazily, once per evaluation.</summary>
    public void Observe()
    {
        var now = _time.GetUtcNow();
        _instances = [.. _inputs.Instances().Where(i => i.Phase is not (InstancePhase.Stopping or InstancePhase.Stopped))];
        _restarts.Sample(_instances, now);
        _longWindows?.Sample(_inputs.Requests, now);
        _backups = null;
    }

    /// <summary>The label sets for which every condition of <paramref name="expression"/> holds, valued by the first condition.</summary>
    public IReadOnlyList<AlertSample> Evaluate(AlertExpression expression)
    {
        IReadOnlyList<AlertSample>? result = null;
        foreach (var condition in expression.Conditions)
        {
            var holding = Samples(condition.Selector).Where(s => condition.Holds(s.Value)).ToList();
            result = result is null
                ? holding
                : [.. result.Where(r => holding.Any(h => SameLabels(h.Labels, r.Labels)))];
        }

        return result ?? [];
    }

    /// <summary>Every sample of <paramref name="selector"/>, whatever its value.</summary>
    private IReadOnlyList<AlertSample> Samples(AlertSelector selector) => selector.Function.Source switch
    {
        AlertSource.Requests => RequestSamples(selector),
        AlertSource.Instances => InstanceSamples(selector),
        AlertSource.Certificates => CertificateSamples(selector),
        AlertSource.Application => ApplicationSamples(selector),
        AlertSource.Jobs => JobSamples(selector),
        _ => BackupSamples(selector),
    };

    /// <summary>One sample per service × revision (labels service, revision); none without the application store.</summary>
    private List<AlertSample> ApplicationSamples(AlertSelector selector) => _inputs.Applications is not { } store
        ? []
        : [.. ApplicationQuery.Evaluate(store, selector, _time.GetUtcNow())
            .Select(v => new AlertSample(new Dictionary<string, string> { ["service"] = v.Service, ["revision"] = v.Revision }, v.Value))];

    private List<AlertSample> RequestSamples(AlertSelector selector)
    {
        var window = selector.Window!.Value;
        var now = _time.GetUtcNow();
        var services = _inputs.Manifest.Services.Keys.Concat(_inputs.Requests.Keys().Select(k => k.Service)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var samples = new List<AlertSample>();
        foreach (var service in services)
        {
            var labels = new Dictionary<string, string> { ["service"] = service };
            if (!selector.Matchers.Where(m => m.Name == "service").All(m => m.Matches(service)))
            {
                continue;
            }

            bool Match(RequestSeriesKey k) => k.Service == service && selector.Matches(new Dictionary<string, string>
            {
                ["service"] = k.Service, ["revision"] = k.Revision, ["route"] = k.Route,
            });

            double? value;
            if (selector.Function.Name == "quantile")
            {
                value = _inputs.Requests.Last(window, Match).Quantile(selector.Parameter!.Value)?.TotalSeconds;
            }
            else
            {
                var (requests, errors) = Count(window, now, Match);
                value = selector.Function.Name switch
                {
                    "rate" => requests / Covered(window, now).TotalSeconds,
                    "error_ratio" => requests == 0 ? null : (double)errors / requests,
                    _ => requests == 0 || _inputs.Manifest.Services.GetValueOrDefault(service)?.Slo is not { } slo || slo.Availability.Value >= 100
                        ? null
                        : (double)errors / requests / ((100 - slo.Availability.Value) / 100),
                };
            }

            if (value is { } v)
            {
                samples.Add(new AlertSample(labels, v));
            }
        }

        return samples;
    }

    /// <summary>
    /// The part of <paramref name="window"/> the daemon has watched: a daemon up for 30 s that saw 30 requests had
    /// 1 request/s, not 0.1 over a 5 m window. At least a second, so the first evaluation does not divide by zero.
    /// </summary>
    private TimeSpan Covered(TimeSpan window, DateTimeOffset now) =>
        TimeSpan.FromTicks(Math.Clamp((now - _started).Ticks, TimeSpan.TicksPerSecond, window.Ticks));

    private (long Requests, long Errors) Count(TimeSpan window, DateTimeOffset now, Func<RequestSeriesKey, bool> match)
    {
        if (window > _inputs.Requests.Window && _longWindows is not null)
        {
            return _longWindows.Over(_inputs.Requests, now, window, match);
        }

        var stats = _inputs.Requests.Last(window, match);
        return (stats.Requests, stats.Errors);
    }

    private List<AlertSample> InstanceSamples(AlertSelector selector)
    {
        var now = _time.GetUtcNow();
        var samples = new List<AlertSample>();
        foreach (var instance in _instances)
        {
            var labels = new Dictionary<string, string>
            {
                ["service"] = instance.Service, ["revision"] = instance.Revision, ["instance"] = instance.Id,
            };
            if (!selector.Matches(labels))
            {
                continue;
            }

            var resources = _inputs.Manifest.Services.GetValueOrDefault(instance.Service)?.Resources ?? new ResourcesSpec();
            double? value = selector.Function.Name switch
            {
                "instance_ready" => instance.Ready ? 1 : 0,
                "crash_looping" => instance.CrashLooping ? 1 : 0,
                "instance_restarts" => _restarts.Increase(instance, now, selector.Window!.Value),
                "instance_cpu_ratio" => instance.CpuPercent / 100 / (resources.Cpu ?? 1),
                _ => resources.Memory is { Bytes: > 0 } limit && instance.Pid is not null ? (double)instance.ResidentBytes / limit.Bytes : null,
            };
            if (value is { } v)
            {
                samples.Add(new AlertSample(labels, v));
            }
        }

        return samples;
    }

    private List<AlertSample> BackupSamples(AlertSelector selector)
    {
        _backups ??= _inputs.Backups();
        var now = _time.GetUtcNow();
        var samples = new List<AlertSample>();
        foreach (var backup in _backups)
        {
            var labels = new Dictionary<string, string> { ["backup"] = backup.Name };
            if (selector.Matches(labels))
            {
                samples.Add(new AlertSample(labels, selector.Function.Name == "backup_failed"
                    ? backup.LastFailed ? 1 : 0
                    : (now - (backup.LastSuccess ?? _started)).TotalSeconds));
            }
        }

        return samples;
    }

    /// <summary>One sample per job of the manifest (label job_name): 1 when its newest finished run failed.</summary>
    private List<AlertSample> JobSamples(AlertSelector selector) =>
        [.. (_inputs.Jobs?.Invoke() ?? [])
            .Select(j => new AlertSample(new Dictionary<string, string> { ["job_name"] = j.Name }, j.LastFailed ? 1 : 0))
            .Where(s => selector.Matches(s.Labels))];

    private List<AlertSample> CertificateSamples(AlertSelector selector)
    {
        var now = _time.GetUtcNow();
        return [.. (_inputs.Certificates?.Invoke() ?? [])
            .Select(c => new AlertSample(new Dictionary<string, string> { ["certificate"] = c.Certificate }, (c.NotAfter - now).TotalSeconds))
            .Where(s => selector.Matches(s.Labels))];
    }

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
