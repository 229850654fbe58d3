using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;
using Slipway.Core.Scheduling;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// A command the daemon runs on a schedule or by hand (<c>slipway job run NAME</c>), bounded by a timeout, with a
/// history of its runs. With <see cref="Service"/> it runs as that service's code would: its version, its
/// <c>run.env</c>, <c>run.secrets</c> and working directory.
/// </summary>
internal sealed record JobSpec : IValidatedSpec
{
    /// <summary>Placeholders a job's command, arguments and environment may use (<c>VERSION</c> only with a service).</summary>
    public static readonly IReadOnlySet<string> KnownPlaceholders =
        new HashSet<string>(StringComparer.Ordinal) { "JOB", "SERVICE", "VERSION", "STATE_DIR", "MANIFEST_DIR" };

    public CommandSpec Run { get; init; } = new();

    /// <summary>When it runs by itself; without one, only by hand.</summary>
    public CronExpression? Schedule { get; init; }

    /// <summary>The zone <see cref="Schedule"/> is read in (IANA, e.g. <c>Europe/Berlin</c>); the machine's when not written.</summary>
    public string? TimeZone { get; init; }

    /// <summary>A run still going after this is stopped and recorded as timed out.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);

    public JobConcurrency Concurrency { get; init; } = JobConcurrency.Forbid;

    /// <summary>A service whose current version, <c>run.env</c>, <c>run.secrets</c> and working directory the job takes.</summary>
    public string? Service { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Names of Slipway secrets given as environment variables of the same name.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>Working directory, relative to the manifest; the service's (or the manifest's) directory by default.</summary>
    public string? Workdir { get; init; }

    /// <summary>After SIGTERM (a timeout, a replacing run, the daemon stopping), the wait before SIGKILL.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    public void Validate(SpecContext context)
    {
        if (!context.IsWritten("run"))
        {
            context.Error("run", "is required: the command the job runs, e.g. `run: dotnet Cleanup.dll --days 30`");
        }
        else if (Run.Command.Length == 0)
        {
            context.Error("run", "must name a command");
        }

        if (TimeZone is { } zone && !TryFindZone(zone, out _))
        {
            context.Error("timeZone", $"is not a time zone this machine knows (got {ScalarParsers.Quote(zone)}); use an IANA name such as Europe/Berlin or UTC");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            context.Error("timeout", "must be longer than 0s");
        }

        foreach (var name in Env.Keys.Where(n => !EnvironmentNames.IsValid(n)))
        {
            context.Error($"env.{name}", "is not a valid environment variable name (letters, digits and '_', not starting with a digit)");
        }

        for (var i = 0; i < Secrets.Count; i++)
        {
            if (!EnvironmentNames.IsValid(Secrets[i]))
            {
                context.Error($"secrets[{i}]", $"must be a secret name usable as an environment variable (got {ScalarParsers.Quote(Secrets[i])})");
            }
            else if (Env.ContainsKey(Secrets[i]))
            {
                context.Error($"secrets[{i}]", $"names {Secrets[i]}, which `env` also sets; a variable comes from one place");
            }
        }

        // A one-line `run` has no command or args key of its own: its errors point at `run`.
        var mapping = context.IsWritten("run.command");
        var texts = new[] { (mapping ? "run.command" : "run", Run.Command) }
            .Concat(Run.Args.Select((a, i) => (mapping ? $"run.args[{i}]" : "run", a)))
            .Concat(Env.Select(e => ($"env.{e.Key}", e.Value)));
        foreach (var (key, text) in texts)
        {
            foreach (var name in Placeholders.Find(text))
            {
                if (!KnownPlaceholders.Contains(name))
                {
                    context.Error(key, $"uses ${{{name}}}, which Slipway does not fill in a job (known: {string.Join(", ", KnownPlaceholders.Select(p => "${" + p + "}"))}); write $${{{name}}} for a literal");
                }
                else if (name is "VERSION" or "SERVICE" && Service is null)
                {
                    context.Error(key, $"uses ${{{name}}}, which only a job with `service:` has");
                }
            }
        }
    }

    /// <summary>The zone <see cref="TimeZone"/> names, or <paramref name="local"/> when none is written.</summary>
    public TimeZoneInfo Zone(TimeZoneInfo local) => TimeZone is { } name && TryFindZone(name, out var zone) ? zone : local;

    private static bool TryFindZone(string name, out TimeZoneInfo zone)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(name, out var found))
        {
            zone = found;
            return true;
        }

        zone = TimeZoneInfo.Utc;
        return false;
    }
}
