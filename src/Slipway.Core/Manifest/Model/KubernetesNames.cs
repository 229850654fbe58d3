using System.Text.RegularExpressions;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// What Kubernetes accepts as names, label keys and values, and image references: checked when the manifest is read,
/// so a name the API server would refuse is a manifest error with its line, not a failed <c>kubectl apply</c>.
/// </summary>
internal static partial class KubernetesNames
{
    /// <summary>An RFC 1123 label (namespaces, Services, container names): a-z, 0-9, '-', at most 63, alphanumeric at both ends.</summary>
    public static bool IsDnsLabel(string name) => name.Length is > 0 and <= 63 && DnsLabel().IsMatch(name);

    /// <summary>An RFC 1123 subdomain (most object names): dot-separated labels, at most 253.</summary>
    public static bool IsDnsSubdomain(string name) => name.Length is > 0 and <= 253 && name.Split('.').All(IsDnsLabel);

    /// <summary>A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63.</summary>
    public static bool IsLabelKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        return (slash < 0 || IsDnsSubdomain(key[..slash])) && name.Length is > 0 and <= 63 && LabelName().IsMatch(name);
    }

    /// <summary>A label value: empty, or at most 63 of a-z, A-Z, 0-9, '-', '_', '.', alphanumeric at both ends.</summary>
    public static bool IsLabelValue(string value) => value.Length == 0 || (value.Length <= 63 && LabelName().IsMatch(value));

    /// <summary>A container image reference as the distribution spec reads it: <c>[registry[:port]/]path[:tag][@digest]</c>.</summary>
    public static bool IsImageReference(string image) => image.Length <= 4096 && ImageReference().IsMatch(image);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$")]
    private static partial Regex ImageReference();
}
