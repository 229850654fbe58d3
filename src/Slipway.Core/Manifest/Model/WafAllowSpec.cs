using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Routing;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// One WAF allow rule: <c>{ rule: command-injection, target: "body:comment", path: /docs }</c>. The target is
/// written as a match's log line writes it (<c>query:id</c>, <c>header:User-Agent</c>, <c>path</c>), so a false
/// positive's log line says what to allow.
/// </summary>
internal sealed record WafAllowSpec : IValidatedSpec
{
    /// <summary>A rule name (<c>sqli-boolean</c>) or a class (<c>sqli</c>, <c>xss</c>, <c>path-traversal</c>, <c>command-injection</c>).</summary>
    [Required]
    public string Rule { get; init; } = string.Empty;

    /// <summary><c>KIND</c> or <c>KIND:NAME</c> (KIND: path, query, header, cookie, body); every value when absent.</summary>
    public string? Target { get; init; }

    /// <summary>Only for requests at or below this path prefix.</summary>
    public string? Path { get; init; }

    /// <summary>The target's kind (<c>query</c>), or null when no target is written.</summary>
    public string? TargetKind => Target is null ? null : Split(Target).Kind;

    /// <summary>The target's name (<c>id</c> of <c>query:id</c>), or null for a whole kind.</summary>
    public string? TargetName => Target is null ? null : Split(Target).Name;

    public void Validate(SpecContext context)
    {
        if (!WafNames.Rules.Contains(Rule) && !WafNames.Classes.Contains(Rule))
        {
            var hint = Suggestions.Closest(Rule, [.. WafNames.Rules, .. WafNames.Classes]);
            context.Error("rule", $"is not a WAF rule or class (got {ScalarParsers.Quote(Rule)}); classes: {string.Join(", ", WafNames.Classes)}; rules: {string.Join(", ", WafNames.Rules)}"
                + (hint is null ? "" : $"; did you mean `{hint}`?"));
        }

        if (Target is not null)
        {
            var (kind, name) = Split(Target);
            if (!WafNames.Targets.Contains(kind) || name is { Length: 0 } || (kind == "path" && name is not null))
            {
                context.Error("target", $"must be path, or query, header, cookie or body, each alone or as KIND:NAME like query:id or header:User-Agent (got {ScalarParsers.Quote(Target)})");
            }
        }

        if (Path is not null && (!Path.StartsWith('/') || Path.Any(c => char.IsWhiteSpace(c) || c is '?' or '#')))
        {
            context.Error("path", $"must be a path prefix starting with '/' (got {ScalarParsers.Quote(Path)})");
        }
    }

    private static (string Kind, string? Name) Split(string target)
    {
        var colon = target.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (target, null) : (target[..colon], target[(colon + 1)..]);
    }
}
