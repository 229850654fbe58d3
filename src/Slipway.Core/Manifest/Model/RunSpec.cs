using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// How to start one instance. An argument list, never a shell string: <c>${VERSION}</c>
/// and <c>${PORT}</c> are filled in each argument, and nothing else is interpreted.
/// </summary>
internal sealed record RunSpec : IValidatedSpec
{
    [Required]
    public string Command { get; init; } = "";

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Names of Slipway secrets given to the instance as environment variables.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>Working directory, relative to the manifest; the manifest's directory by default.</summary>
    public string? Workdir { get; init; }

    /// <summary>
    /// The operating-system user the instance runs as when the daemon runs as root (PostgreSQL refuses root);
    /// a daemon that is not root runs everything as itself and ignores it.
    /// </summary>
    public string? User { get; init; }

    public void Validate(SpecContext context)
    {
        foreach (var name in Env.Keys)
        {
            if (!EnvironmentNames.IsValid(name))
            {
                context.Error($"env.{name}", "is not a valid environment variable name (letters, digits and '_', not starting with a digit)");
            }
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

        if (User is not null && !IsUserName(User))
        {
            context.Error("user", $"must be a user name such as postgres: letters, digits, '_', '-' and '.', not starting with a digit or '-', at most 32 characters (got {ScalarParsers.Quote(User)})");
        }

        CheckPlaceholders(context, "command", Command);
        for (var i = 0; i < Args.Count; i++)
        {
            CheckPlaceholders(context, $"args[{i}]", Args[i]);
        }

        foreach (var (name, value) in Env)
        {
            CheckPlaceholders(context, $"env.{name}", value);
        }
    }

    /// <summary>Placeholders Slipway fills when it starts an instance.</summary>
    public static readonly IReadOnlySet<string> KnownPlaceholders =
        new HashSet<string>(StringComparer.Ordinal) { "VERSION", "PORT", "SERVICE", "REVISION", "INSTANCE", "STATE_DIR", "MANIFEST_DIR", "DATA_DIR" };

    /// <summary>Every command, argument and environment value, with its key, for rules that look at placeholders.</summary>
    public IEnumerable<(string Key, string Text)> Texts() =>
        new[] { ("command", Command) }
            .Concat(Args.Select((arg, i) => ($"args[{i}]", arg)))
            .Concat(Env.Select(e => ($"env.{e.Key}", e.Value)));

    private static bool IsUserName(string name) =>
        name.Length is > 0 and <= 32 && !char.IsAsciiDigit(name[0]) && name[0] != '-'
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static void CheckPlaceholders(SpecContext context, string key, string value)
    {
        foreach (var name in Placeholders.Find(value))
        {
            if (!KnownPlaceholders.Contains(name))
            {
                context.Error(key, $"uses ${{{name}}}, which Slipway does not fill (known: {string.Join(", ", KnownPlaceholders.Select(p => "${" + p + "}"))}); write $${{{name}}} for a literal");
            }
        }
    }
}
