namespace Slipway.Core.Primitives;

/// <summary>
/// A manifest value that is either written out or fetched when used: <c>env:SLACK_WEBHOOK</c>,
/// <c>secret:DB_PASSWORD</c>, or anything else taken literally (<c>http://127.0.0.1:9093</c>).
/// </summary>
/// <remarks>
/// Only the lower-case prefixes <c>env:</c> and <c>secret:</c> refer; <c>ENV:X</c> or <c>postgres://…</c> are literals.
/// Names follow environment-variable rules, <c>[A-Za-z_][A-Za-z0-9_]*</c>, so a typo such as <c>env: X</c> is an
/// error rather than a silently empty value. A literal may itself be a credential (a URL with a password),
/// so <see cref="ToString"/> of a literal is the literal: keep references out of logs unless they are <see cref="ValueReferenceKind.Env"/> or <see cref="ValueReferenceKind.Secret"/>.
/// A record, so two manifests that say the same thing compare equal.
/// </remarks>
internal sealed record ValueReference
{
    private const string EnvPrefix = "env:";
    private const string SecretPrefix = "secret:";

    private ValueReference(ValueReferenceKind kind, string? name, string? literal)
    {
        Kind = kind;
        Name = name;
        Literal = literal;
    }

    public ValueReferenceKind Kind { get; }

    /// <summary>The variable or secret name; null for a literal.</summary>
    public string? Name { get; }

    /// <summary>The text; null for a reference.</summary>
    public string? Literal { get; }

    /// <exception cref="FormatException">The text is <c>env:</c> or <c>secret:</c> with a missing or invalid name.</exception>
    public static ValueReference Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    public static bool TryParse(string text, out ValueReference value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (kind, prefix) = text.StartsWith(EnvPrefix, StringComparison.Ordinal) ? (ValueReferenceKind.Env, EnvPrefix)
            : text.StartsWith(SecretPrefix, StringComparison.Ordinal) ? (ValueReferenceKind.Secret, SecretPrefix)
            : (ValueReferenceKind.Literal, null);
        if (prefix is null)
        {
            value = new ValueReference(ValueReferenceKind.Literal, null, text);
            error = null;
            return true;
        }

        var name = text[prefix.Length..];
        if (!IsValidName(name))
        {
            value = new ValueReference(ValueReferenceKind.Literal, null, text);
            var what = kind == ValueReferenceKind.Env ? "an environment variable" : "a secret";
            error = $"must name {what} after \"{prefix}\", like {prefix}NAME with letters, digits and _ (got \"{text}\")";
            return false;
        }

        value = new ValueReference(kind, name, null);
        error = null;
        return true;
    }

    /// <summary>The value now: the literal, or what <paramref name="env"/> or <paramref name="secrets"/> return for the name (null when unset).</summary>
    public string? Resolve(Func<string, string?> env, Func<string, string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(secrets);
        return Kind switch
        {
            ValueReferenceKind.Env => env(Name!),
            ValueReferenceKind.Secret => secrets(Name!),
            _ => Literal,
        };
    }

    /// <summary>The text as written: <c>env:NAME</c>, <c>secret:NAME</c>, or the literal.</summary>
    public override string ToString() => Kind switch
    {
        ValueReferenceKind.Env => EnvPrefix + Name,
        ValueReferenceKind.Secret => SecretPrefix + Name,
        _ => Literal!,
    };

    internal static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name[1..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
