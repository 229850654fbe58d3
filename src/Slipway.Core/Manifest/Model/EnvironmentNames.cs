using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

internal static class EnvironmentNames
{
    /// <summary>POSIX-portable: letters, digits and underscore, not starting with a digit.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A process's <c>env</c> and <c>secrets</c> (a service's run, a job): valid names, each variable from one place.</summary>
    public static void Validate(SpecContext context, IReadOnlyDictionary<string, string> env, IReadOnlyList<string> secrets)
    {
        foreach (var name in env.Keys.Where(n => !IsValid(n)))
        {
            context.Error($"env.{name}", "is not a valid environment variable name (letters, digits and '_', not starting with a digit)");
        }

        for (var i = 0; i < secrets.Count; i++)
        {
            if (!IsValid(secrets[i]))
            {
                context.Error($"secrets[{i}]", $"must be a secret name usable as an environment variable (got {ScalarParsers.Quote(secrets[i])})");
            }
            else if (env.ContainsKey(secrets[i]))
            {
                context.Error($"secrets[{i}]", $"names {secrets[i]}, which `env` also sets; a variable comes from one place");
            }
        }
    }
}
