using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Slipway.Core.Manifest.Diff;

namespace Slipway.Core.Manifest;

/// <summary>
/// What of a manifest's values never leaves the daemon in the clear, for any role: values under an <c>env</c>
/// map, values of secret-like keys (<c>password</c>, <c>token</c>, <c>apiKey</c>, an <c>Authorization</c>
/// header…), and the credentials and paths of URLs, which keep only <c>scheme://host:port/...</c> (a Slack webhook's
/// path is its secret, a database URL's user info is). Applied to apply plans and diffs, event messages,
/// instance status and what the audit log records.
/// </summary>
internal static partial class SensitiveValues
{
    /// <summary>What a masked value reads as.</summary>
    public const string Hidden = "(hidden)";

    /// <summary>The change as it may be shown: <see cref="FieldChange.Before"/> and <see cref="FieldChange.After"/> masked (still compact JSON; null stays null).</summary>
    public static FieldChange Mask(FieldChange change)
    {
        var segments = change.Path.Split('.', '[');
        var hidden = segments.Any(s => s == "env") || IsSecretName(segments[^1].TrimEnd(']'));
        return change with { Before = MaskJson(change.Before, hidden), After = MaskJson(change.After, hidden) };
    }

    /// <summary>Free text with every URL in it reduced to <c>scheme://host:port/...</c>.</summary>
    public static string MaskUrls(string text) => text.Contains("://", StringComparison.Ordinal) ? UrlInText().Replace(text, m => MaskUrl(m.Value)) : text;

    private static string? MaskJson(string? json, bool hidden)
    {
        if (json is null)
        {
            return null;
        }

        var node = JsonNode.Parse(json);
        return Masked(node, hidden)?.ToJsonString() ?? "null";
    }

    private static JsonNode? Masked(JsonNode? node, bool hidden)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                {
                    copy[key] = Masked(value, hidden || key == "env" || IsSecretName(key));
                }

                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(item => Masked(item, hidden))]);
            default:
                if (hidden)
                {
                    return JsonValue.Create(Hidden);
                }

                return node.GetValueKind() == System.Text.Json.JsonValueKind.String ? JsonValue.Create(MaskUrls(node.GetValue<string>())) : node.DeepClone();
        }
    }

    /// <summary><c>postgresql://app:pw@db:5432/shop</c> → <c>postgresql://db:5432/...</c>; a URL with nothing beyond its host stays whole.</summary>
    private static string MaskUrl(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.IsFile)
        {
            return text;
        }

        var authority = uri.IsDefaultPort || uri.Port < 0 ? uri.Host : $"{uri.Host}:{uri.Port}";
        var bare = $"{uri.Scheme}://{authority}";
        return uri.UserInfo.Length == 0 && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0
            && text.TrimEnd('/').Length == bare.Length
            ? text
            : bare + "/...";
    }

    /// <summary>A key whose value is a credential; <c>secrets</c> lists names, not values.</summary>
    private static bool IsSecretName(string name) => name != "secrets" && SecretName().IsMatch(name);

    [GeneratedRegex(@"(password|passwd|secret|token|credential|api[-_]?key|private[-_]?key|^key$|authorization|cookie)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s""'`<>]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlInText();
}
