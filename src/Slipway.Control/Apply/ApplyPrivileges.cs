using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Diff;

namespace Slipway.Control.Apply;

/// <summary>
/// Which changes of an apply a deployer may make. The line: a deployer chooses how many instances of which
/// version run and how rollouts, restarts and HTTP/TCP probes behave; only an admin changes what runs and with
/// what — <c>run</c> (command, args, env, secrets, workdir), exec probes, deploy hooks — and what the edge
/// exposes (<c>routes</c>, <c>upstream</c>, <c>internal</c>, <c>preserveHost</c>, <c>deploy.previewHost</c>), adds or removes a service, or
/// touches an app-wide section (<c>proxy</c>, <c>alerts</c>, <c>backups</c>, <c>logs</c>).
/// </summary>
/// <remarks>
/// Each admin-only key can run a command as the daemon's user or reach what a deployer could not: an
/// environment variable is enough (<c>LD_PRELOAD</c>, <c>DOTNET_STARTUP_HOOKS</c>, <c>NODE_OPTIONS</c>). A key
/// not named here needs admin, so a key added later is safe until someone decides otherwise.
/// </remarks>
internal static class ApplyPrivileges
{
    private static readonly IReadOnlySet<string> DeployerKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "version", "replicas", "autoscale", "deploy", "loadBalancing", "maxInFlight", "retries", "stop", "restart", "resources", "health", "metrics", "slo",
    };

    public static ApplyRole Of(ApplyPlan plan) => plan.Actions.Any(a => Of(a) == ApplyRole.Admin) ? ApplyRole.Admin : ApplyRole.Deployer;

    public static ApplyRole Of(ApplyAction action) =>
        action.AppWide || action.Kind is ApplyActionKind.Start or ApplyActionKind.Stop || action.Fields.Any(f => Of(action, f) == ApplyRole.Admin)
            ? ApplyRole.Admin
            : ApplyRole.Deployer;

    public static ApplyRole Of(ApplyAction action, FieldChange field) => action.AppWide ? ApplyRole.Admin : OfServiceField(field);

    /// <summary>What in <paramref name="plan"/> needs an admin, one line each: <c>api: run.args</c>, <c>cache: a new service</c>.</summary>
    public static IReadOnlyList<string> AdminChanges(ApplyPlan plan)
    {
        var changes = new List<string>();
        foreach (var action in plan.Actions.Where(a => Of(a) == ApplyRole.Admin))
        {
            switch (action.Kind)
            {
                case ApplyActionKind.Start:
                    changes.Add($"{action.Target}: a new service");
                    break;
                case ApplyActionKind.Stop:
                    changes.Add($"{action.Target}: removing the service");
                    break;
                default:
                    changes.AddRange(action.Fields.Where(f => Of(action, f) == ApplyRole.Admin).Select(f => $"{action.Target}: {f.Path}"));
                    break;
            }
        }

        return changes;
    }

    private static ApplyRole OfServiceField(FieldChange field)
    {
        var key = field.Path.Split('.', '[')[0];
        if (!DeployerKeys.Contains(key)
            || (key == "deploy" && (field.Path.StartsWith("deploy.hooks", StringComparison.Ordinal) || field.Path.StartsWith("deploy.previewHost", StringComparison.Ordinal)))
            || (key == "health" && (field.Path.Split('.').Contains("exec") || HasExec(field.Before) || HasExec(field.After))))
        {
            return ApplyRole.Admin;
        }

        return ApplyRole.Deployer;
    }

    /// <summary>True when a probe (or a set of them) in this JSON value runs a command.</summary>
    private static bool HasExec(string? json) => json is not null && HasExec(JsonNode.Parse(json));

    private static bool HasExec(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => (p.Key == "exec" && p.Value is not null) || HasExec(p.Value)),
        JsonArray a => a.Any(HasExec),
        _ => false,
    };
}
