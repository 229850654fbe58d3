using Slipway.Core.Configuration;

namespace Slipway.Core.Processes;

/// <summary>
/// How to start one child: a program and an argument list (never a shell string), its
/// environment and working directory. Modelled on Aspire's <c>ProcessSpec</c>.
/// </summary>
/// <param name="FileName">A path, or a name looked up on <c>PATH</c>.</param>
/// <param name="Environment">The child's whole environment; nothing is inherited implicitly.</param>
internal sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory)
{
    /// <summary>
    /// The only variables a child takes from the daemon's own environment. Everything else there — the master
    /// key, API tokens, <c>SLIPWAY_SECRET_*</c>, database URLs, cloud credentials, runtime tuning — stays with
    /// the daemon: a child gets what the manifest gives it (<c>env</c>, <c>secrets</c>) and what Slipway sets.
    /// </summary>
    public static IReadOnlyList<string> InheritedVariables { get; } = ["PATH", "HOME", "LANG", "TZ"];

    /// <summary>Appended to, never truncated; <c>/dev/null</c> when absent.</summary>
    public string? StdoutPath { get; init; }

    public string? StderrPath { get; init; }

    /// <summary>
    /// The user to run as (<c>run.user</c>) when this process is root; ignored otherwise. The runner starts the
    /// program through <c>setpriv</c>, which execs it in place, so the pid is the program's.
    /// </summary>
    public string? RunAs { get; init; }

    /// <summary>
    /// Cgroup directories the process joins before its program runs (one per hierarchy under cgroup v1), so
    /// nothing it starts or allocates escapes their limits. Empty: it stays in the daemon's cgroups.
    /// </summary>
    public IReadOnlyList<string> Cgroups { get; init; } = [];

    /// <summary>The start of every child's <see cref="Environment"/>: the daemon's <see cref="InheritedVariables"/> that are set.</summary>
    public static Dictionary<string, string> BaseEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in InheritedVariables)
        {
            if (EnvironmentVariables.Get(name) is { } value)
            {
                result[name] = value;
            }
        }

        return result;
    }

    public override string ToString() => string.Join(' ', new[] { FileName }.Concat(Arguments));
}
