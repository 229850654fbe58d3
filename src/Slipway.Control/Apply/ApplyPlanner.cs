using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Diff;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Apply;

/// <summary>
/// Turns the difference between what runs and a new manifest into actions. Pure: the caller supplies the
/// running manifest with each run service's revision fields taken from its current revision.
/// </summary>
/// <remarks>
/// A run service whose new spec leaves out <c>version</c> keeps the version it runs, so a manifest without
/// versions does not undo <c>slipway deploy --version</c>. A service's <c>internal</c> listener, <c>metrics</c>
/// scraping and <c>slo</c> alerts, and the app-wide sections, are set up once at start: changes to them are
/// reported and wait for the next <c>slipway up</c>.
/// </remarks>
internal static class ApplyPlanner
{
    private static readonly IReadOnlySet<string> StartOnlyKeys = new HashSet<string>(StringComparer.Ordinal) { "internal", "metrics", "slo", "stateful", "port", "url" };

    /// <param name="running">What runs now.</param>
    /// <param name="next">The manifest being applied (valid).</param>
    /// <param name="keepVersions">True to treat every run service's version as unchanged (the daemon's start uses this).</param>
    public static ApplyPlan Plan(AppManifest running, AppManifest next, bool keepVersions = false)
    {
        next = next with { Services = next.Services.ToDictionary(s => s.Key, s => KeepVersion(running, s.Key, s.Value, keepVersions), StringComparer.Ordinal) };
        var diff = ManifestDiff.Compare(running, next);
        var actions = new List<ApplyAction>();
        var effective = new Dictionary<string, ServiceSpec>(next.Services, StringComparer.Ordinal);
        foreach (var change in diff.Services)
        {
            var before = running.Services.GetValueOrDefault(change.Name);
            var after = next.Services.GetValueOrDefault(change.Name);
            switch (change.Kind)
            {
                case ServiceChangeKind.Added when after!.Internal is not null || after.Stateful:
                    actions.Add(new(change.Name, ApplyActionKind.NeedsRestart, after.Internal is not null
                        ? "a new service with an internal listener starts with the daemon"
                        : "a new stateful service starts with the daemon, which gives the other services its address", []));
                    effective.Remove(change.Name);
                    break;
                case ServiceChangeKind.Added:
                    actions.Add(new(change.Name, ApplyActionKind.Start, after.Run is null
                        ? $"watch upstream {string.Join(", ", after.Upstream ?? [])}"
                        : $"start revision of version {after.Version ?? "1"} with {after.InitialReplicas} replicas", []));
                    break;
                case ServiceChangeKind.Removed:
                    actions.Add(new(change.Name, ApplyActionKind.Stop, "remove its routes, drain and stop its instances", []));
                    break;
                default:
                    effective[change.Name] = Changed(change, before!, after!, actions);
                    break;
            }
        }

        if (diff.Sections.Count > 0)
        {
            foreach (var section in diff.Sections.GroupBy(f => f.Path.Split('.', '[')[0], StringComparer.Ordinal))
            {
                actions.Add(new(section.Key, ApplyActionKind.NeedsRestart, "app-wide settings are read at start", [.. section]) { AppWide = true });
            }
        }

        var plan = running with { Services = effective };
        return new ApplyPlan(actions, plan, Fingerprint(actions));
    }

    /// <returns>The spec the daemon runs once applied.</returns>
    private static ServiceSpec Changed(ServiceChange change, ServiceSpec before, ServiceSpec after, List<ApplyAction> actions)
    {
        if ((before.Run is null) != (after.Run is null))
        {
            actions.Add(new(change.Name, ApplyActionKind.NeedsRestart, "switching between `run` and `upstream` takes a restart", change.Fields));
            return before;
        }

        var fields = change.Fields.ToLookup(f => Key(f.Path));
        var startOnly = change.Fields.Where(f => StartOnlyKeys.Contains(Key(f.Path))).ToList();
        if (startOnly.Count > 0)
        {
            actions.Add(new(change.Name, ApplyActionKind.NeedsRestart, "internal listeners, metrics scraping, SLO alerts and stateful services' ports and addresses are set up at start", startOnly));
            after = after with { Internal = before.Internal, Metrics = before.Metrics, Slo = before.Slo, Stateful = before.Stateful, Port = before.Port, Url = before.Url };
        }

        var revision = change.Fields.Where(f => ServiceSpec.RevisionKeys.Contains(Key(f.Path))).ToList();

        // While autoscale is on the autoscaler owns the count (as an HPA owns a Deployment's): replicas only starts the service.
        var autoscaled = after.Autoscale is not null;
        var replicas = autoscaled ? [] : fields["replicas"].ToList();
        if (revision.Count > 0)
        {
            var strategy = ScalarParsers.EnumName(after.Deploy.Strategy);
            actions.Add(new(change.Name, ApplyActionKind.Deploy, $"new revision of version {after.Version}, rolled out {strategy}" + (replicas.Count > 0 ? $" with {after.Replicas} replicas" : ""), [.. revision, .. replicas]));
        }
        else if (replicas.Count > 0)
        {
            actions.Add(new(change.Name, ApplyActionKind.Scale, $"replicas {before.Replicas} → {after.Replicas}", replicas));
        }

        var settings = change.Fields.Where(f => (autoscaled || Key(f.Path) != "replicas") && !ServiceSpec.RevisionKeys.Contains(Key(f.Path)) && !StartOnlyKeys.Contains(Key(f.Path))).ToList();
        if (settings.Count > 0)
        {
            var keys = string.Join(", ", settings.Select(f => Key(f.Path)).Distinct(StringComparer.Ordinal));
            var owned = autoscaled && settings.Any(f => Key(f.Path) == "replicas") ? " (the autoscaler keeps the count; `replicas` only starts the service)" : "";
            actions.Add(new(change.Name, ApplyActionKind.Update, $"{keys}: in effect at once{owned}", settings));
        }

        return after;
    }

    private static ServiceSpec KeepVersion(AppManifest running, string name, ServiceSpec spec, bool always) =>
        spec.Run is not null && running.Services.GetValueOrDefault(name) is { Run: not null } before && (always || spec.Version is null)
            ? spec with { Version = before.Version }
            : spec;

    private static string Key(string path) => path.Split('.', '[')[0];

    private static string Fingerprint(List<ApplyAction> actions)
    {
        var text = new StringBuilder();
        foreach (var action in actions)
        {
            text.Append(action.Target).Append('|').Append(action.Kind).Append('|').Append(action.Detail).Append('\n');
            foreach (var field in action.Fields)
            {
                text.Append(field.Path).Append('=').Append(field.Before).Append("→").Append(field.After).Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
