using Slipway.Core.Processes;

namespace Slipway.Backups.Postgres;

/// <summary>
/// One run of a PostgreSQL tool: the program and its arguments as a list (never a shell string),
/// extra environment (passwords travel as <c>PGPASSWORD</c>, never on the command line), and
/// optionally the user to run as (PostgreSQL's server tools refuse root).
/// </summary>
internal sealed record ToolInvocation(string Program, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>When set and we are root, the tool runs through <c>runuser -u USER --</c>.</summary>
    public string? RunAs { get; init; }

    /// <summary>
    /// What the runner starts. The tool sees only what we give it: the allow-listed base environment (no master key,
    /// token, PGPASSWORD or PGHOST of the daemon's leaking in), then <see cref="Environment"/>.
    /// </summary>
    public ProcessSpec ToSpec(string workingDirectory)
    {
        var environment = ProcessSpec.BaseEnvironment();
        foreach (var (key, value) in Environment)
        {
            environment[key] = value;
        }

        return RunAs is { } user && PostgresTool.IsRoot
            ? new ProcessSpec("runuser", ["-u", user, "--", Program, .. Arguments], environment, workingDirectory)
            : new ProcessSpec(Program, Arguments, environment, workingDirectory);
    }
}
