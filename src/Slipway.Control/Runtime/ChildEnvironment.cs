using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Control.Runtime;

/// <summary>
/// The environment of a child started for a service — an instance, a deploy hook, a job with <c>service:</c> — built
/// in one order: what every child inherits (<see cref="ProcessSpec.BaseEnvironment"/>), the app's shared
/// variables (<c>SLIPWAY_&lt;SERVICE&gt;_URL</c>), the service's <c>run.env</c> with placeholders filled, then its
/// <c>run.secrets</c>. Callers add their own variables last.
/// </summary>
internal static class ChildEnvironment
{
    /// <param name="values">Placeholder values. A <c>run.env</c> entry using one not given here (<c>${PORT}</c> in a hook, which
    /// has no port) is left out rather than passed on half filled.</param>
    /// <param name="secret">A secret's value, or null when it is not set.</param>
    /// <param name="missingSecret">The first secret <paramref name="secret"/> did not have; that variable is left out.</param>
    public static Dictionary<string, string> ForService(
        RunSpec? run,
        IReadOnlyDictionary<string, string> values,
        IReadOnlyDictionary<string, string> shared,
        Func<string, string?> secret,
        out string? missingSecret)
    {
        var environment = ProcessSpec.BaseEnvironment();
        foreach (var (key, value) in shared)
        {
            environment[key] = value;
        }

        missingSecret = null;
        if (run is null)
        {
            return environment;
        }

        foreach (var (key, value) in run.Env)
        {
            if (Placeholders.TryExpand(value, values, out var expanded, out _))
            {
                environment[key] = expanded;
            }
        }

        AddSecrets(environment, run.Secrets, secret, ref missingSecret);
        return environment;
    }

    /// <summary>Adds each named secret as a variable of the same name; the first one not set is reported, the rest still added.</summary>
    public static void AddSecrets(Dictionary<string, string> environment, IEnumerable<string> names, Func<string, string?> secret, ref string? missingSecret)
    {
        foreach (var name in names)
        {
            if (secret(name) is { } value)
            {
                environment[name] = value;
            }
            else
            {
                missingSecret ??= name;
            }
        }
    }
}
